package dev.resilience.core;

/**
 * A named fault-tolerance policy (one breaker, one retry, one timeout, one bulkhead) that can wrap
 * the next step of a call chain. Decorating happens once, when a chain is built; the returned call
 * holds the policy and the next step and is reused for every call.
 */
public interface Policy {

    /** The instance name: settings are bound by it and every user of the name shares this instance. */
    String getName();

    <C> Call<C> decorate(Call<C> next);

    <C> AsyncCall<C> decorateAsync(AsyncCall<C> next);
}
