package dev.resilience.core;

/**
 * One synchronous call through a chain of policies: given the per-call context (for example the
 * intercepted method invocation), run what lies further in. Chains are built once from these and
 * reused, so that a call allocates nothing to travel through them.
 *
 * @param <C> the per-call context handed down the chain
 */
@FunctionalInterface
public interface Call<C> {

    Object invoke(C context) throws Throwable;
}
