package dev.resilience.aop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.ProxyMethodInvocation;

/**
 * The invocation that the {@link AsyncReturnType} of a lazy type (one whose work starts when it is subscribed to, not
 * when the method returns it, such as Reactor's {@code Mono}) runs the chain with, once per subscription: it stands
 * for the proxy's invocation, to which it delegates, and it carries the subscription's own state, which the adapter
 * finds again in {@link AsyncReturnType#attempt} and {@link AsyncReturnType#toStage}.
 *
 * <p>The interceptor proceeds {@link #proxied()} afresh on every attempt, rewound to its own place in the proxy's
 * chain, so that every subscription, and every retry attempt within it, runs the advice inside ours and the method
 * again. The user attributes are this invocation's own: each subscription is a call of its own, and what a
 * {@link ChainDecorator} keeps there for one call never meets another's.
 */
public abstract class DeferredInvocation implements ProxyMethodInvocation {

    private static final VarHandle ATTRIBUTES;

    static {
        try {
            ATTRIBUTES = MethodHandles.lookup().findVarHandle(DeferredInvocation.class, "attributes", Map.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final MethodInvocation proxied;
    /** Copied on write (attributes are rare and set once or twice per call); null until the first one is set. */
    @SuppressWarnings("unused") // through ATTRIBUTES
    private volatile Map<String, Object> attributes;

    /**
     * @param proxied the invocation of the proxy that the subscription proceeds; one that no other subscription
     *                proceeds at the same time (the proxy's own for the first subscription, a clone for the others)
     */
    protected DeferredInvocation(MethodInvocation proxied) {
        this.proxied = Objects.requireNonNull(proxied, "proxied");
    }

    /** The proxy's invocation that this one stands for: every attempt proceeds it afresh. */
    public final MethodInvocation proxied() {
        return proxied;
    }

    /**
     * The invocation a new subscription proceeds: {@code invocation} itself for the first one, since nothing has
     * proceeded it yet, and a clone of it for every later one, so that two subscriptions never rewind the same
     * invocation at once.
     */
    public static MethodInvocation forSubscription(MethodInvocation invocation, boolean first) {
        if (first || !(invocation instanceof ProxyMethodInvocation proxy)) {
            return invocation;
        }
        return proxy.invocableClone();
    }

    @Override
    public final Method getMethod() {
        return proxied.getMethod();
    }

    @Override
    public final Object[] getArguments() {
        return proxied.getArguments();
    }

    @Override
    public final Object getThis() {
        return proxied.getThis();
    }

    @Override
    public final AccessibleObject getStaticPart() {
        return proxied.getStaticPart();
    }

    /** Proceeds the proxy's invocation as it stands; the interceptor itself proceeds {@link #proxied()} afresh. */
    @Override
    public final Object proceed() throws Throwable {
        return proxied.proceed();
    }

    @Override
    public final Object getProxy() {
        return proxy().getProxy();
    }

    @Override
    public final MethodInvocation invocableClone() {
        return proxy().invocableClone();
    }

    @Override
    public final MethodInvocation invocableClone(Object... arguments) {
        return proxy().invocableClone(arguments);
    }

    @Override
    public final void setArguments(Object... arguments) {
        proxy().setArguments(arguments);
    }

    @Override
    @SuppressWarnings("unchecked")
    public final void setUserAttribute(String key, Object value) {
        while (true) {
            Map<String, Object> current = (Map<String, Object>) ATTRIBUTES.getVolatile(this);
            Map<String, Object> next = (current != null) ? new HashMap<>(current) : new HashMap<>(4);
            if (value != null) {
                next.put(key, value);
            }
            else {
                next.remove(key);
            }
            if (ATTRIBUTES.compareAndSet(this, current, next)) {
                return;
            }
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public final Object getUserAttribute(String key) {
        Map<String, Object> current = (Map<String, Object>) ATTRIBUTES.getVolatile(this);
        return (current != null) ? current.get(key) : null;
    }

    private ProxyMethodInvocation proxy() {
        if (proxied instanceof ProxyMethodInvocation proxy) {
            return proxy;
        }
        throw new UnsupportedOperationException("The invocation " + proxied + " is not a proxy's invocation");
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + proxied + "]";
    }
}
