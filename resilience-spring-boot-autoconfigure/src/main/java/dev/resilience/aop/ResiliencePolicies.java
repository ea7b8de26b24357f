package dev.resilience.aop;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.resilience.core.Policy;

/**
 * Where the interceptor gets its named policy instances: one lookup per {@link PolicyKind}, keyed by the kind. Each
 * lookup is called once per annotated method when its chain is built (at start-up), never per call; it must return
 * the instance shared by every method that uses the name, typically {@code registry::get} of the kind's registry.
 * An optional {@link ChainDecorator} wraps each whole chain, outermost (for observation); by default there is none.
 */
public final class ResiliencePolicies {

    private final Map<PolicyKind<?>, Function<String, ? extends Policy>> lookups;
    private final Supplier<? extends ChainDecorator> decorator;

    private ResiliencePolicies(Map<PolicyKind<?>, Function<String, ? extends Policy>> lookups,
            Supplier<? extends ChainDecorator> decorator) {
        this.lookups = Map.copyOf(lookups);
        this.decorator = decorator;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The decorator that wraps each whole chain; {@link ChainDecorator#NONE} when there is none. */
    public ChainDecorator decorator() {
        ChainDecorator current = decorator.get();
        return (current != null) ? current : ChainDecorator.NONE;
    }

    /**
     * The instance of {@code kind} named {@code name}.
     *
     * @throws IllegalStateException when no lookup is registered for the kind or it knows no such instance
     */
    public Policy policy(PolicyKind<?> kind, String name) {
        Function<String, ? extends Policy> lookup = lookups.get(kind);
        if (lookup == null) {
            throw new IllegalStateException("No " + kind.displayName() + " instances are available (is the "
                    + kind.key() + " registry missing?)");
        }
        Policy policy = lookup.apply(name);
        if (policy == null) {
            throw new IllegalStateException("No " + kind.displayName() + " instance named '" + name + "'");
        }
        return policy;
    }

    /** Collects one lookup per kind. */
    public static final class Builder {

        private final Map<PolicyKind<?>, Function<String, ? extends Policy>> lookups = new HashMap<>();
        private Supplier<? extends ChainDecorator> decorator = () -> ChainDecorator.NONE;

        private Builder() {
        }

        /** Where the named instances of {@code kind} come from. */
        public Builder instances(PolicyKind<?> kind, Function<String, ? extends Policy> lookup) {
            if (!kind.isNamed()) {
                throw new IllegalArgumentException("The " + kind.displayName() + " has no named instances");
            }
            lookups.put(kind, Objects.requireNonNull(lookup, "lookup"));
            return this;
        }

        /**
         * @param decorator supplies the decorator of every chain; asked once per annotated method when its chain is
         *                  built, so that it may be resolved lazily (a {@code null} answer means none)
         */
        public Builder decorator(Supplier<? extends ChainDecorator> decorator) {
            this.decorator = Objects.requireNonNull(decorator, "decorator");
            return this;
        }

        public ResiliencePolicies build() {
            return new ResiliencePolicies(lookups, decorator);
        }
    }
}
