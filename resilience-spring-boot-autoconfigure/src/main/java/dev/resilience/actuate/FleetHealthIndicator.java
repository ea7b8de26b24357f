package dev.resilience.actuate;

import java.util.Objects;

import dev.resilience.fleet.FleetConnection;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code fleet} health component: {@code UP} while Redis answers; {@link #REDIS_UNREACHABLE} during an outage,
 * with when it started and the error. That status is not in Spring Boot's status order, so the application's
 * aggregate status stays {@code UP} (HTTP 200): every instance goes on with its local state, and taking them all out
 * of their load balancer because Redis is down would turn a Redis outage into the application's.
 */
public class FleetHealthIndicator implements HealthIndicator {

    /** Redis does not answer: every instance works on its local state. */
    public static final Status REDIS_UNREACHABLE = new Status("REDIS_UNREACHABLE",
            "Redis does not answer: each instance goes on with its local state");

    private final FleetConnection fleet;

    public FleetHealthIndicator(FleetConnection fleet) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
    }

    @Override
    public Health health() {
        FleetConnection.Status status = fleet.status();
        Health.Builder health = status.reachable() ? Health.up().withDetail("redis", "reachable")
                : Health.status(REDIS_UNREACHABLE).withDetail("redis", "unreachable");
        if (status.since() != null) {
            health.withDetail("since", status.since().toString());
        }
        if (status.error() != null) {
            health.withDetail("error", status.error());
        }
        return health.withDetail("keyPrefix", fleet.settings().keyPrefix())
                .withDetail("instanceId", fleet.settings().instanceId())
                .withDetail("knownInstances", status.knownInstances())
                .build();
    }
}
