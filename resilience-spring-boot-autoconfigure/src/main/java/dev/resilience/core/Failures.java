package dev.resilience.core;

import java.util.List;
import java.util.concurrent.CompletionException;

/** What the policies share about the failures of calls. */
public final class Failures {

    private Failures() {
    }

    /**
     * The failure a stage really ended with: {@code CompletableFuture} wraps a failure that passes
     * through a dependent stage in {@link CompletionException}, which policies classify and hand on
     * by its cause, so that callers see the method's own exception unchanged.
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while (current instanceof CompletionException && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Whether {@code type} is a rejection by a policy of our own that sits inside the one asking (a full
     * bulkhead): back-pressure of this application, not a failure of the partner. A breaker does not record
     * it and a retry does not retry it, unless {@code listed} (its {@code record-exceptions} or
     * {@code retry-exceptions}) names that rejection's class or a subclass of it explicitly; listing
     * {@code Exception} or {@code Throwable} is not enough.
     */
    public static boolean isUnlistedBackPressure(Class<?> type, List<Class<? extends Throwable>> listed) {
        if (!BulkheadFullException.class.isAssignableFrom(type)) {
            return false;
        }
        for (Class<? extends Throwable> each : listed) {
            if (BulkheadFullException.class.isAssignableFrom(each) && each.isAssignableFrom(type)) {
                return false;
            }
        }
        return true;
    }
}
