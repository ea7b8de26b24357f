package dev.resilience.aop.reactor;

import java.util.Map;
import java.util.concurrent.CompletionStage;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import org.aopalliance.intercept.MethodInvocation;
import reactor.util.context.Context;

import dev.resilience.core.Call;

/**
 * The bridge to Micrometer's context-propagation library, loaded only when it is on the class path: what a subscriber
 * holds in the thread-locals the library knows (the MDC through an accessor registered for it, the current
 * observation) and in its Reactor {@code Context}, captured when it subscribes and set again around every attempt.
 */
final class ThreadLocals {

    private static final ContextSnapshotFactory FACTORY = ContextSnapshotFactory.builder().build();

    private ThreadLocals() {
    }

    /** The subscribing thread's values and the context's, or {@code null} when there are none. */
    static Object capture(Context context) {
        ContextSnapshot snapshot = FACTORY.captureAll(context);
        // the default snapshot is a map of the captured values: an empty one has nothing to set
        return (snapshot instanceof Map<?, ?> values && values.isEmpty()) ? null : snapshot;
    }

    /** {@code context} with the captured values written into it, for the operators of the method's publisher. */
    static Context enrich(Object snapshot, Context context) {
        return ((ContextSnapshot) snapshot).updateContext(context);
    }

    /** One attempt of {@code call} with the captured values set in this thread's thread-locals meanwhile. */
    static CompletionStage<Object> attempt(Object snapshot, ReactorCall call, Call<MethodInvocation> method) {
        try (ContextSnapshot.Scope scope = ((ContextSnapshot) snapshot).setThreadLocals()) {
            return call.attemptHere(method);
        }
    }
}
