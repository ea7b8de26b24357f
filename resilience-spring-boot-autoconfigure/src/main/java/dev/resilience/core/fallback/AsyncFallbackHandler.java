package dev.resilience.core.fallback;

import java.util.concurrent.CompletionStage;

/**
 * Answers an asynchronous call in place of the failed chain.
 *
 * @param <C> the per-call context handed down the chain
 */
@FunctionalInterface
public interface AsyncFallbackHandler<C> {

    /**
     * @param context the context of the failed call
     * @param failure the throwable the chain's stage failed with, never a {@code CompletionException} wrapper
     * @return the stage whose outcome the caller sees; a handler that throws instead fails the call's stage
     */
    CompletionStage<Object> apply(C context, Throwable failure);
}
