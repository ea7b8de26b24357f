package dev.resilience.fleet;

import java.time.Duration;
import java.util.Objects;

/**
 * What every shared kind of one application context agrees on.
 *
 * @param keyPrefix         the start of every key and channel, {@code resilience:orders:} (its
 *                          {@code spring.application.name} already filled in): applications with different prefixes
 *                          share nothing
 * @param instanceId        this application context among the fleet's instances (presence, known instances)
 * @param commandTimeout    the longest a caller waits for Redis
 * @param reconcileInterval how often the presence is refreshed, an outage probed and the kinds reconcile
 */
public record FleetSettings(String keyPrefix, String instanceId, Duration commandTimeout, Duration reconcileInterval) {

    public FleetSettings {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(instanceId, "instanceId");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("commandTimeout must be positive: " + commandTimeout);
        }
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("reconcileInterval must be positive: " + reconcileInterval);
        }
    }

    /** {@code <key-prefix><suffix>}. */
    public String key(String suffix) {
        return keyPrefix + suffix;
    }
}
