package dev.resilience.core;

import java.util.concurrent.CompletionStage;

/**
 * One asynchronous call through a chain of policies. It never throws: a failure is a stage that
 * completes exceptionally, so that every policy sees synchronous and asynchronous failures alike.
 *
 * @param <C> the per-call context handed down the chain
 */
@FunctionalInterface
public interface AsyncCall<C> {

    CompletionStage<Object> invoke(C context);
}
