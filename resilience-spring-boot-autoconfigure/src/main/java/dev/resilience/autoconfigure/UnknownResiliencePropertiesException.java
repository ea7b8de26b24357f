package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;

import java.util.Set;

/**
 * Keys under {@code resilience.} that no part of the starter (and no {@code @ConfigurationProperties} bean of the
 * application) binds, so that they would silently have no effect: for example {@code resilience.circuitbraker.*} or
 * {@code resilience.foo}. Keys under the prefix of one kind ({@code resilience.circuitbreaker.*}) are checked by
 * Spring Boot itself when it binds the kind, which reports them as an {@link UnboundConfigurationPropertiesException}
 * too; {@link UnknownResiliencePropertyFailureAnalyzer} explains both, with where each key was set and the closest
 * known key.
 */
public class UnknownResiliencePropertiesException extends UnboundConfigurationPropertiesException {

    private static final long serialVersionUID = 1L;

    /** The keys known where the unknown ones were set, for the suggestions. */
    private final transient KnownKeys known;

    UnknownResiliencePropertiesException(Set<ConfigurationProperty> unknown, KnownKeys known) {
        super(unknown);
        this.known = known;
    }

    KnownKeys getKnownKeys() {
        return known;
    }
}
