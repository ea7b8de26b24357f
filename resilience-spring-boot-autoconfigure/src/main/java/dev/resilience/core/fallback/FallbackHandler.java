package dev.resilience.core.fallback;

/**
 * Answers a synchronous call in place of the failed chain.
 *
 * @param <C> the per-call context handed down the chain
 */
@FunctionalInterface
public interface FallbackHandler<C> {

    /**
     * @param context the context of the failed call
     * @param failure the throwable the chain ended with
     * @return the value to return to the caller
     * @throws Throwable propagated to the caller unchanged
     */
    Object apply(C context, Throwable failure) throws Throwable;
}
