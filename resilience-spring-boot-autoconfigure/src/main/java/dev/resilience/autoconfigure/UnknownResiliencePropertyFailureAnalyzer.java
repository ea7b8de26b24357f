package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.PropertySource;

import java.util.List;

/**
 * Explains a start-up failure caused by keys under {@code resilience.} that nothing binds: each key as it was
 * written, its value, where it was set (file and line, as Spring Boot prints origins) and the closest known key.
 * Handles both Spring Boot's {@link UnboundConfigurationPropertiesException}, raised when it binds a kind's settings
 * ({@code resilience.circuitbreaker.instances.partner.failure-rate-treshold}), and
 * {@link UnknownResiliencePropertiesException} ({@code resilience.circuitbraker.*}). Ordered before Spring Boot's own
 * analyzer of unbound properties, which says neither what was meant nor that the key belongs to this starter.
 * Registered in {@code META-INF/spring.factories}.
 */
public class UnknownResiliencePropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
        implements Ordered {

    private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of("resilience");

    @Override
    public int getOrder() {
        return 0; // before Spring Boot's analyzers, which have no order (the lowest precedence)
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        KnownKeys known = knownKeys(rootFailure, cause);
        if (known == null) {
            return null;
        }
        List<ConfigurationProperty> unknown = cause.getUnboundProperties().stream()
                .filter(property -> ROOT.isAncestorOf(property.getName()))
                .toList();
        if (unknown.isEmpty()) {
            return null;
        }
        StringBuilder description = new StringBuilder(unknown.size() == 1
                ? "A setting of the Resilience starter has a key it does not know, so it would have no effect:"
                : "Settings of the Resilience starter have keys it does not know, so they would have no effect:");
        for (ConfigurationProperty property : unknown) {
            description.append(String.format("%n%n    Property: %s", KnownKeys.written(property.getName())));
            description.append(String.format("%n    Value: \"%s\"", property.getValue()));
            description.append(String.format("%n    Origin: %s", origin(property)));
            description.append(String.format("%n    Reason: %s", reason(property.getName(), known)));
        }
        String action = "Correct the key, or remove it. Every key is listed in the Settings section of the starter's "
                + "README, and IDEs complete them from its configuration metadata. The keys are Resilience4j's where "
                + "the concept is the same; a Resilience4j key with no counterpart here is not supported.";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    /** The keys known where the unknown ones were found, or {@code null} when they are none of this starter's. */
    private KnownKeys knownKeys(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        if (cause instanceof UnknownResiliencePropertiesException unknown) {
            return unknown.getKnownKeys();
        }
        BindException bind = findCause(rootFailure, BindException.class);
        if (bind == null || !(ROOT.equals(bind.getName()) || ROOT.isAncestorOf(bind.getName()))) {
            return null;
        }
        return new KnownKeys().add(bind.getName().toString(), bind.getTarget().getType());
    }

    static String reason(ConfigurationPropertyName name, KnownKeys known) {
        String closest = known.closest(name);
        if (closest != null && !closest.equals(KnownKeys.written(name))) {
            return "unknown key; did you mean '" + closest + "'?";
        }
        KnownKeys.Divergence divergence = known.divergence(name);
        if (divergence == null || divergence.keys().isEmpty()) {
            return "unknown key";
        }
        return "unknown key; the keys under '" + divergence.at() + "' are: " + String.join(", ", divergence.keys());
    }

    static String origin(ConfigurationProperty property) {
        if (property.getOrigin() != null) {
            return property.getOrigin().toString();
        }
        Object source = property.getSource() != null ? property.getSource().getUnderlyingSource() : null;
        return source instanceof PropertySource<?> propertySource
                ? "property source '" + propertySource.getName() + "'" : "unknown";
    }
}
