package dev.resilience.autoconfigure;

import dev.resilience.core.timeout.TimeoutConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.Map;

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
@ConfigurationProperties(value = "resilience.timeout", ignoreUnknownFields = false)
public record TimeoutProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances)
        implements KindProperties<TimeoutProperties.InstanceProperties, TimeoutConfig> {

    public TimeoutProperties {
        configs = KindProperties.copyOf(configs);
        instances = KindProperties.copyOf(instances);
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
            Boolean cancelRunningFuture)
            implements KindProperties.Layer {
    }

    @Override
    public TimeoutConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        TimeoutConfig.Builder builder = TimeoutConfig.builder();
        settings.apply("timeout-duration", InstanceProperties::timeoutDuration, builder::timeoutDuration);
        settings.apply("cancel-running-future", InstanceProperties::cancelRunningFuture, builder::cancelRunningFuture);
        return settings.build(builder::build);
    }
}
