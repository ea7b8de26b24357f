package dev.resilience.core;

import java.util.concurrent.CompletionException;

/** What the policies share about the failures of asynchronous calls. */
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
}
