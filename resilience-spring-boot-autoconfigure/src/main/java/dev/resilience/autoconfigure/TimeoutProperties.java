package dev.resilience.autoconfigure;

import dev.resilience.core.timeout.TimeoutConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The timeout settings bound from {@code resilience.timeout.*}. Every key of an instance or template is
 * optional: an instance's own keys override its template's, the template's override the built-in
 * defaults of {@link TimeoutConfig}.
 *
 * @param configs   Named templates of timeout settings. The template named 'default' applies to every
 *                  instance that does not pick another one with 'base-config'.
 * @param instances Timeout instances by name (the name given in '@Timeout', or 'SimpleClassName.methodName').
 *                  An instance's keys override those of its template, which 'base-config' picks
 *                  ('default' when not set).
 */
@ConfigurationProperties("resilience.timeout")
public record TimeoutProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances) {

    static final String PREFIX = "resilience.timeout";

    public TimeoutProperties {
        configs = configs == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(configs));
        instances = instances == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    }

    /**
     * The settings of one timeout instance or template. Every key is {@code null} when not set.
     *
     * @param baseConfig          The template (under 'resilience.timeout.configs') this instance starts
     *                            from. Default: 'default' when that template exists.
     * @param timeoutDuration     How long one attempt may take, a positive duration. Default 1s.
     * @param cancelRunningFuture Whether, for an asynchronous method, the method's own future is cancelled
     *                            when the timeout expires. Default true.
     */
    public record InstanceProperties(
            String baseConfig,
            Duration timeoutDuration,
            Boolean cancelRunningFuture) {
    }

    /** The names of the instances configured under {@code resilience.timeout.instances}. */
    public Set<String> instanceNames() {
        return instances.keySet();
    }

    /**
     * The config of the instance {@code instanceName}: its keys over its template's over the defaults.
     * A name without settings gets the 'default' template, or the built-in defaults when there is none.
     *
     * @throws InvalidResiliencePropertyException when a value is out of range, naming its property path
     */
    public TimeoutConfig configFor(String instanceName) {
        return toConfig(LayeredSettings.forInstance(PREFIX, configs, instances, instanceName, InstanceProperties::baseConfig));
    }

    /**
     * Resolves every template and every instance, so that a bad value anywhere fails the start.
     *
     * @throws InvalidResiliencePropertyException naming the first bad property
     */
    public void validate() {
        for (String template : configs.keySet()) {
            toConfig(LayeredSettings.forTemplate(PREFIX, configs, template, InstanceProperties::baseConfig));
        }
        for (String instance : instances.keySet()) {
            configFor(instance);
        }
    }

    private static TimeoutConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        TimeoutConfig.Builder builder = TimeoutConfig.builder();
        settings.apply("timeout-duration", InstanceProperties::timeoutDuration, builder::timeoutDuration);
        settings.apply("cancel-running-future", InstanceProperties::cancelRunningFuture, builder::cancelRunningFuture);
        return settings.build(builder::build);
    }
}
