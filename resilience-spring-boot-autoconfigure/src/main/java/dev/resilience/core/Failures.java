package dev.resilience.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

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
     * bulkhead, a rate limiter out of permits): back-pressure of this application, not a failure of the partner.
     * A breaker does not record it and a retry does not retry it, unless {@code listed} (its
     * {@code record-exceptions} or {@code retry-exceptions}) names that rejection's class or a subclass of it
     * explicitly; listing {@code Exception} or {@code Throwable} is not enough.
     */
    public static boolean isUnlistedBackPressure(Class<?> type, List<Class<? extends Throwable>> listed) {
        Class<?> rejection = BulkheadFullException.class.isAssignableFrom(type) ? BulkheadFullException.class
                : RateLimitExceededException.class.isAssignableFrom(type) ? RateLimitExceededException.class : null;
        if (rejection == null) {
            return false;
        }
        for (Class<? extends Throwable> each : listed) {
            if (rejection.isAssignableFrom(each) && each.isAssignableFrom(type)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The stage the call inside a policy returned or, when it broke its contract by returning {@code null},
     * a stage failed with a {@link NullPointerException} that names the policy: "The call protected by
     * timeout 'partner' returned null instead of a CompletionStage". A policy then handles the null like
     * any other failure of the call. Pass the policy's constants (a literal kind and the instance name):
     * a call that returns a stage allocates nothing here.
     *
     * @param kind the kind of policy, as its exception messages name it: {@code timeout}, {@code retry}, {@code bulkhead}
     * @param name the instance name
     */
    public static <T> CompletionStage<T> nonNullStage(CompletionStage<T> stage, String kind, String name) {
        return (stage != null) ? stage : nullStage("The call protected by " + kind + " '" + name + "'");
    }

    /**
     * The same guard for a step that is not the call inside a policy (a fallback answering in its place):
     * {@code returner} names it in the message, e.g. {@code "The fallback handler"}, and must be a constant
     * of the caller, built once.
     */
    public static <T> CompletionStage<T> nonNullStage(CompletionStage<T> stage, String returner) {
        return (stage != null) ? stage : nullStage(returner);
    }

    private static <T> CompletionStage<T> nullStage(String returner) {
        return CompletableFuture.failedFuture(
                new NullPointerException(returner + " returned null instead of a CompletionStage"));
    }
}
