package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.annotation.MergedAnnotations;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the settings of every kind of policy share: named templates ({@code configs}), named instances
 * ({@code instances}), an instance's {@code base-config}, and how the settings of one instance are resolved
 * (its own keys over its template's over the core config's defaults) and validated.
 * <p>
 * A kind is a {@code @ConfigurationProperties} record of the two maps that implements this interface: it
 * brings only its keys ({@code P}) and {@link #toConfig how they make its core config}.
 *
 * @param <P> the keys of one instance or template of the kind, as bound
 * @param <C> the kind's core config
 */
interface KindProperties<P extends KindProperties.Layer, C> {

    /** The keys of one instance or template as bound; each is {@code null} when not set. */
    interface Layer {

        /** The template an instance starts from, or {@code null}; never set on a template. */
        String baseConfig();
    }

    /** Named templates; the one named {@code default} applies to every instance that picks no other. */
    Map<String, P> configs();

    /** Instances by name. */
    Map<String, P> instances();

    /**
     * The core config from the settings of one instance or template, each key checked and applied.
     *
     * @throws InvalidResiliencePropertyException when a value is out of range, naming its property path
     */
    C toConfig(LayeredSettings<P> settings);

    /** The prefix the settings are bound from, as {@code @ConfigurationProperties} on the record says. */
    default String prefix() {
        return MergedAnnotations.from(getClass()).get(ConfigurationProperties.class).getString("prefix");
    }

    /** The names of the instances configured under {@code <prefix>.instances}. */
    default Set<String> instanceNames() {
        return instances().keySet();
    }

    /**
     * The config of the instance {@code instanceName}: its keys over its template's over the defaults.
     * A name without settings gets the 'default' template, or the built-in defaults when there is none.
     *
     * @throws InvalidResiliencePropertyException when a value is out of range, naming its property path
     */
    default C configFor(String instanceName) {
        return toConfig(LayeredSettings.ofInstance(this, instanceName));
    }

    /**
     * Resolves every template and every instance, so that a bad value anywhere fails the start.
     *
     * @throws InvalidResiliencePropertyException naming the first bad property
     */
    default void validate() {
        for (String template : configs().keySet()) {
            toConfig(LayeredSettings.ofTemplate(this, template));
        }
        for (String instance : instances().keySet()) {
            configFor(instance);
        }
    }

    /** A bound map as the records hold it: never {@code null}, unmodifiable, in the order it was bound. */
    static <P> Map<String, P> copyOf(Map<String, P> bound) {
        return bound == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(bound));
    }
}
