package dev.resilience.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Runs the rest of a proxy's chain once per retry attempt. Spring's own invocation object remembers how
 * far down the chain it has gone, so a second {@code proceed()} would skip the advice inside ours. The
 * portable answer, {@link ProxyMethodInvocation#invocableClone()}, copies the invocation (and its
 * arguments) for every attempt, the first included, because the copy must be taken before anything
 * proceeds. For Spring's {@link ReflectiveMethodInvocation} (JDK and CGLIB proxies alike) this winds the
 * invocation back to our own place in the chain instead, which costs no allocation. Where its fields
 * cannot be reached (Spring on the module path, a changed field name, a native image built without
 * {@link ResilienceRuntimeHints}), every attempt uses a clone.
 */
final class RewindableInvocation {

    /** The private field of {@link ReflectiveMethodInvocation} that says how far down the chain it has gone. */
    static final String INDEX_FIELD = "currentInterceptorIndex";
    /** The private field of {@link ReflectiveMethodInvocation} that holds the chain. */
    static final String INTERCEPTORS_FIELD = "interceptorsAndDynamicMethodMatchers";

    private static final VarHandle INDEX;
    private static final VarHandle INTERCEPTORS;

    static {
        VarHandle index = null;
        VarHandle interceptors = null;
        try {
            MethodHandles.Lookup lookup =
                    MethodHandles.privateLookupIn(ReflectiveMethodInvocation.class, MethodHandles.lookup());
            index = lookup.findVarHandle(ReflectiveMethodInvocation.class, INDEX_FIELD, int.class);
            interceptors = lookup.findVarHandle(ReflectiveMethodInvocation.class, INTERCEPTORS_FIELD, List.class);
        } catch (ReflectiveOperationException | RuntimeException unreachable) {
            index = null;
            interceptors = null;
        }
        INDEX = index;
        INTERCEPTORS = interceptors;
    }

    private RewindableInvocation() {
    }

    /** Whether attempts rewind the invocation (true) or copy it (false) on this class path. */
    static boolean rewinds() {
        return INDEX != null;
    }

    /**
     * Proceeds with the rest of the chain as if for the first time.
     *
     * @param interceptor the interceptor whose attempt this is: the invocation is wound back to it
     */
    static Object proceedAgain(MethodInvocation invocation, MethodInterceptor interceptor) throws Throwable {
        if (INDEX != null && invocation instanceof ReflectiveMethodInvocation reflective) {
            int position = ((List<?>) INTERCEPTORS.get(reflective)).indexOf(interceptor);
            if (position >= 0) {
                INDEX.set(reflective, position);
                return reflective.proceed();
            }
        }
        if (invocation instanceof ProxyMethodInvocation proxyInvocation) {
            return proxyInvocation.invocableClone().proceed();
        }
        return invocation.proceed();
    }
}
