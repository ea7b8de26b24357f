package dev.resilience.aop.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.aopalliance.intercept.MethodInvocation;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;

import dev.resilience.aop.DeferredInvocation;
import dev.resilience.core.AsyncCall;

/** What a protected method returning {@code Flux} returns: each subscription runs the chain once. */
final class ProtectedFlux extends Flux<Object> {

    private static final VarHandle SUBSCRIBED;

    static {
        try {
            SUBSCRIBED = MethodHandles.lookup().findVarHandle(ProtectedFlux.class, "subscribed", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final AsyncCall<MethodInvocation> chain;
    private final MethodInvocation invocation;
    /** Whether the proxy's invocation went to a subscription already: the next ones get clones of it. */
    private volatile boolean subscribed;

    ProtectedFlux(AsyncCall<MethodInvocation> chain, MethodInvocation invocation) {
        this.chain = chain;
        this.invocation = invocation;
    }

    @Override
    public void subscribe(CoreSubscriber<? super Object> actual) {
        boolean first = !subscribed && SUBSCRIBED.compareAndSet(this, false, true);
        FluxCall call = new FluxCall(actual, DeferredInvocation.forSubscription(invocation, first));
        actual.onSubscribe(call);
        if (!call.isCancelled()) {
            call.start(chain);
        }
    }

    @Override
    public String toString() {
        return "ProtectedFlux[" + invocation.getMethod().getDeclaringClass().getSimpleName() + "."
                + invocation.getMethod().getName() + "]";
    }
}
