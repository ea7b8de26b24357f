package dev.resilience.aop;

import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.resilience.core.Policy;

/**
 * Where the interceptor gets its named policy instances, one lookup per kind. Each function is called once per
 * annotated method when its chain is built (at start-up), never per call; it must return the instance shared by
 * every method that uses the name, typically {@code registry::get} of the kind's registry. An optional
 * {@link ChainDecorator} wraps each whole chain, outermost (for observation); by default there is none.
 */
public final class ResiliencePolicies {

    private final Function<String, ? extends Policy> circuitBreakers;
    private final Function<String, ? extends Policy> retries;
    private final Function<String, ? extends Policy> timeouts;
    private final Function<String, ? extends Policy> bulkheads;
    private final Supplier<? extends ChainDecorator> decorator;

    public ResiliencePolicies(Function<String, ? extends Policy> circuitBreakers,
            Function<String, ? extends Policy> retries, Function<String, ? extends Policy> timeouts,
            Function<String, ? extends Policy> bulkheads) {
        this(circuitBreakers, retries, timeouts, bulkheads, () -> ChainDecorator.NONE);
    }

    /**
     * @param decorator supplies the decorator of every chain; asked once per annotated method when its chain is
     *                  built, so that it may be resolved lazily (a {@code null} answer means none)
     */
    public ResiliencePolicies(Function<String, ? extends Policy> circuitBreakers,
            Function<String, ? extends Policy> retries, Function<String, ? extends Policy> timeouts,
            Function<String, ? extends Policy> bulkheads, Supplier<? extends ChainDecorator> decorator) {
        this.circuitBreakers = Objects.requireNonNull(circuitBreakers, "circuitBreakers");
        this.retries = Objects.requireNonNull(retries, "retries");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.bulkheads = Objects.requireNonNull(bulkheads, "bulkheads");
        this.decorator = Objects.requireNonNull(decorator, "decorator");
    }

    /** The decorator that wraps each whole chain; {@link ChainDecorator#NONE} when there is none. */
    public ChainDecorator decorator() {
        ChainDecorator current = decorator.get();
        return (current != null) ? current : ChainDecorator.NONE;
    }

    public Policy circuitBreaker(String name) {
        return lookup(circuitBreakers, "circuit breaker", name);
    }

    public Policy retry(String name) {
        return lookup(retries, "retry", name);
    }

    public Policy timeout(String name) {
        return lookup(timeouts, "timeout", name);
    }

    public Policy bulkhead(String name) {
        return lookup(bulkheads, "bulkhead", name);
    }

    private static Policy lookup(Function<String, ? extends Policy> instances, String kind, String name) {
        Policy policy = instances.apply(name);
        if (policy == null) {
            throw new IllegalStateException("No " + kind + " instance named '" + name + "'");
        }
        return policy;
    }
}
