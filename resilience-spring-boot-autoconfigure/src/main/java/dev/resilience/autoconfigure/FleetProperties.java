package dev.resilience.autoconfigure;

import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

import dev.resilience.fleet.FleetSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;

/**
 * Fleet mode's settings, bound from {@code resilience.fleet.*}.
 *
 * @param enabled           Whether fleet mode is on: the instances of the application share the state of the
 *                          breakers and rate limiters marked 'shared: true' through Redis, with the application's own
 *                          Spring Data Redis connection ('spring.data.redis.*', Lettuce). Needs
 *                          spring-boot-starter-data-redis. A value that is not a boolean fails the start.
 * @param keyPrefix         The start of every Redis key and channel of fleet mode; '{spring.application.name}' in it
 *                          is replaced by the application's name, which must then be set. Applications with
 *                          different prefixes share nothing.
 * @param commandTimeout    The longest a call waits for Redis (a shared rate limiter's permit): beyond it the call goes
 *                          on with the local state, and an outage starts. Between 1ms and 10s.
 * @param reconcileInterval How often each instance refreshes its presence (the fleet's known instances expire after
 *                          three intervals), probes Redis during an outage, and reconciles the shared state. Between
 *                          10ms and 1h.
 * @param instanceId        This instance among the fleet's, unique per application context. Default: the host name
 *                          (HOSTNAME), the process id and a random part.
 */
@ConfigurationProperties(value = "resilience.fleet", ignoreUnknownFields = false)
public record FleetProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue(FleetProperties.DEFAULT_KEY_PREFIX) String keyPrefix,
        @DefaultValue("50ms") Duration commandTimeout,
        @DefaultValue("1s") Duration reconcileInterval,
        String instanceId) {

    static final String PREFIX = "resilience.fleet";
    static final String ENABLED = PREFIX + ".enabled";
    static final String APPLICATION_NAME = "{spring.application.name}";
    static final String DEFAULT_KEY_PREFIX = "resilience:" + APPLICATION_NAME + ":";

    /**
     * The settings the kinds share, every value checked.
     *
     * @throws InvalidResiliencePropertyException naming the property of a value fleet mode cannot use
     */
    FleetSettings toSettings(Environment environment) {
        return new FleetSettings(resolvedKeyPrefix(environment), resolvedInstanceId(),
                within("command-timeout", commandTimeout, Duration.ofMillis(1), Duration.ofSeconds(10)),
                within("reconcile-interval", reconcileInterval, Duration.ofMillis(10), Duration.ofHours(1)));
    }

    private String resolvedKeyPrefix(Environment environment) {
        String property = PREFIX + ".key-prefix";
        if (keyPrefix == null || keyPrefix.isBlank() || keyPrefix.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidResiliencePropertyException(property, keyPrefix,
                    "must not be empty nor hold white space, for example resilience:orders:");
        }
        if (!keyPrefix.contains(APPLICATION_NAME)) {
            return keyPrefix;
        }
        String name = environment.getProperty("spring.application.name");
        if (name == null || name.isBlank()) {
            // two unnamed applications would share every limit and breaker without anyone choosing it
            throw new InvalidResiliencePropertyException(property, keyPrefix, "names " + APPLICATION_NAME
                    + ", which is not set: set spring.application.name (each application gets keys of its own), or "
                    + "set " + property + " to the prefix this application's instances share");
        }
        return keyPrefix.replace(APPLICATION_NAME, name.trim());
    }

    private String resolvedInstanceId() {
        if (instanceId != null) {
            if (instanceId.isBlank() || instanceId.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidResiliencePropertyException(PREFIX + ".instance-id", instanceId,
                        "must not be empty nor hold white space");
            }
            return instanceId;
        }
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "instance" : host.trim()) + ":" + ProcessHandle.current().pid() + ":"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    private static Duration within(String key, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new InvalidResiliencePropertyException(PREFIX + "." + key, value,
                    "must be between " + InvalidResiliencePropertyException.format(min) + " and "
                            + InvalidResiliencePropertyException.format(max));
        }
        return value;
    }
}
