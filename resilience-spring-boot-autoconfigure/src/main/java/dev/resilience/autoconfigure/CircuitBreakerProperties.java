package dev.resilience.autoconfigure;

import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The circuit breaker settings bound from {@code resilience.circuitbreaker.*}. Every key of an instance
 * or template is optional: an instance's own keys override its template's, the template's override the
 * built-in defaults of {@link CircuitBreakerConfig}.
 *
 * @param configs   Named templates of circuit breaker settings. The template named 'default' applies to
 *                  every instance that does not pick another one with 'base-config'.
 * @param instances Circuit breaker instances by name (the name given in '@CircuitBreaker', or
 *                  'SimpleClassName.methodName'). An instance's keys override those of its template,
 *                  which 'base-config' picks ('default' when not set).
 */
@ConfigurationProperties(value = "resilience.circuitbreaker", ignoreUnknownFields = false)
public record CircuitBreakerProperties(
        Map<String, InstanceProperties> configs,
        Map<String, InstanceProperties> instances)
        implements KindProperties<CircuitBreakerProperties.InstanceProperties, CircuitBreakerConfig> {

    /** Default of {@code event-consumer-buffer-size}. */
    public static final int DEFAULT_EVENT_CONSUMER_BUFFER_SIZE = 100;

    /** The largest {@code event-consumer-buffer-size}: each breaker's buffer is allocated at its full size. */
    public static final int MAX_EVENT_CONSUMER_BUFFER_SIZE = 10_000;

    public CircuitBreakerProperties {
        configs = KindProperties.copyOf(configs);
        instances = KindProperties.copyOf(instances);
    }

    /**
     * The settings of one circuit breaker instance or template. Every key is {@code null} when not set.
     *
     * @param baseConfig                    The template (under 'resilience.circuitbreaker.configs') this
     *                                      instance starts from. Default: 'default' when that template exists.
     * @param slidingWindowType             The kind of sliding window: COUNT_BASED (the last N calls) or
     *                                      TIME_BASED (the calls of the last N seconds). Default COUNT_BASED.
     * @param slidingWindowSize             N, the size of the sliding window: calls (at most 1000000), or
     *                                      seconds when time-based (at most 86400, one day). Default 100.
     * @param minimumNumberOfCalls          The calls the window must hold before the failure and slow-call
     *                                      rates are computed (never more than a count-based window holds).
     *                                      Default 100.
     * @param failureRateThreshold          Failure rate threshold in percent (1 to 100): the breaker opens
     *                                      when the failure rate is at or above it. Default 50.
     * @param slowCallDurationThreshold     A call that takes longer than this counts as slow. Default 60s.
     * @param slowCallRateThreshold         Slow-call rate threshold in percent (1 to 100): the breaker opens
     *                                      when the slow-call rate is at or above it. Default 100.
     * @param waitDurationInOpenState       How long the breaker stays open (rejecting calls) before it
     *                                      permits trial calls in half-open state. Default 60s.
     * @param permittedNumberOfCallsInHalfOpenState The trial calls permitted in half-open state, from which
     *                                      the breaker decides to close or to open again. Default 10.
     * @param automaticTransitionFromOpenToHalfOpenEnabled Whether a timer moves the breaker from open to
     *                                      half-open once the wait is over, rather than the next call.
     *                                      Default false.
     * @param recordExceptions              The exception classes that count as failures, with their
     *                                      subclasses. Default: every exception.
     * @param ignoreExceptions              Exception classes that count neither as failure nor as success;
     *                                      they win over 'record-exceptions'. Default: none.
     * @param eventConsumerBufferSize       How many recent events of this breaker are kept for the
     *                                      actuator, 1 to 10000. Default 100.
     * @param allowHealthIndicatorToFail    Whether an open or forced-open breaker reports DOWN in the
     *                                      health endpoint (otherwise it never fails the health status).
     *                                      Default false.
     * @param shared                        Whether every instance of the application shares this breaker's
     *                                      transitions (fleet mode, 'resilience.fleet.enabled'; 'true' without it
     *                                      fails the start): when it opens on one instance, every instance refuses
     *                                      its calls until the wait ends, one fleet-wide set of half-open trial
     *                                      calls decides for all, and a state set through the endpoint reaches
     *                                      every instance. Each instance keeps its own window. Default false.
     */
    public record InstanceProperties(
            String baseConfig,
            SlidingWindowType slidingWindowType,
            Integer slidingWindowSize,
            Integer minimumNumberOfCalls,
            Float failureRateThreshold,
            Duration slowCallDurationThreshold,
            Float slowCallRateThreshold,
            Duration waitDurationInOpenState,
            Integer permittedNumberOfCallsInHalfOpenState,
            Boolean automaticTransitionFromOpenToHalfOpenEnabled,
            List<Class<? extends Throwable>> recordExceptions,
            List<Class<? extends Throwable>> ignoreExceptions,
            Integer eventConsumerBufferSize,
            Boolean allowHealthIndicatorToFail,
            Boolean shared)
            implements KindProperties.Layer {
    }

    /** The resolved {@code event-consumer-buffer-size} of the instance (1 to 10000; default 100). */
    public int eventConsumerBufferSize(String instanceName) {
        return eventConsumerBufferSize(LayeredSettings.ofInstance(this, instanceName));
    }

    /** The resolved {@code allow-health-indicator-to-fail} of the instance (default false). */
    public boolean allowHealthIndicatorToFail(String instanceName) {
        return LayeredSettings.ofInstance(this, instanceName).resolve("allow-health-indicator-to-fail",
                InstanceProperties::allowHealthIndicatorToFail, false);
    }

    /** The resolved {@code shared} of the instance (default false). */
    public boolean shared(String instanceName) {
        return LayeredSettings.ofInstance(this, instanceName).resolve("shared", InstanceProperties::shared, false);
    }

    /**
     * Fails when a template or instance sets {@code shared: true}, for a context without fleet mode's breakers.
     *
     * @param reason why it cannot be shared, after "Invalid value 'true' for property '...': "
     * @throws InvalidResiliencePropertyException naming the first place that sets it
     */
    void refuseShared(String reason) {
        for (String template : configs().keySet()) {
            refuseShared(LayeredSettings.ofTemplate(this, template), reason);
        }
        for (String instance : instances().keySet()) {
            refuseShared(LayeredSettings.ofInstance(this, instance), reason);
        }
    }

    private static void refuseShared(LayeredSettings<InstanceProperties> settings, String reason) {
        settings.apply("shared", InstanceProperties::shared, shared -> {
            if (shared) {
                throw new InvalidResiliencePropertyException(settings.originOf("shared"), true, reason);
            }
        });
    }

    private static int eventConsumerBufferSize(LayeredSettings<InstanceProperties> settings) {
        int size = settings.resolve("event-consumer-buffer-size", InstanceProperties::eventConsumerBufferSize,
                DEFAULT_EVENT_CONSUMER_BUFFER_SIZE);
        settings.atLeast("event-consumer-buffer-size", size, 1);
        return settings.atMost("event-consumer-buffer-size", size, MAX_EVENT_CONSUMER_BUFFER_SIZE);
    }

    /** Also checks {@code event-consumer-buffer-size}, which is not part of the core config, with the rest. */
    @Override
    public CircuitBreakerConfig toConfig(LayeredSettings<InstanceProperties> settings) {
        CircuitBreakerConfig.Builder builder = CircuitBreakerConfig.builder();
        settings.apply("sliding-window-type", InstanceProperties::slidingWindowType, builder::slidingWindowType);
        settings.apply("sliding-window-size", InstanceProperties::slidingWindowSize, builder::slidingWindowSize);
        settings.apply("minimum-number-of-calls", InstanceProperties::minimumNumberOfCalls,
                builder::minimumNumberOfCalls);
        settings.apply("failure-rate-threshold", InstanceProperties::failureRateThreshold,
                builder::failureRateThreshold);
        settings.apply("slow-call-duration-threshold", InstanceProperties::slowCallDurationThreshold,
                builder::slowCallDurationThreshold);
        settings.apply("slow-call-rate-threshold", InstanceProperties::slowCallRateThreshold,
                builder::slowCallRateThreshold);
        settings.apply("wait-duration-in-open-state", InstanceProperties::waitDurationInOpenState,
                builder::waitDurationInOpenState);
        settings.apply("permitted-number-of-calls-in-half-open-state",
                InstanceProperties::permittedNumberOfCallsInHalfOpenState,
                builder::permittedNumberOfCallsInHalfOpenState);
        settings.apply("automatic-transition-from-open-to-half-open-enabled",
                InstanceProperties::automaticTransitionFromOpenToHalfOpenEnabled,
                builder::automaticTransitionFromOpenToHalfOpenEnabled);
        settings.applyExceptions("record-exceptions", InstanceProperties::recordExceptions, builder::recordExceptions);
        settings.applyExceptions("ignore-exceptions", InstanceProperties::ignoreExceptions, builder::ignoreExceptions);
        CircuitBreakerConfig config = settings.build(builder::build);
        eventConsumerBufferSize(settings);
        return config;
    }
}
