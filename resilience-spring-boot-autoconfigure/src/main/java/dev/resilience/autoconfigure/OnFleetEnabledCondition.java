package dev.resilience.autoconfigure;

import org.springframework.core.env.Environment;

/** Matches only when {@code resilience.fleet.enabled} is {@code true}: fleet mode is off by default. */
class OnFleetEnabledCondition extends BooleanPropertyCondition {

    OnFleetEnabledCondition() {
        super("Resilience fleet mode", FleetProperties.ENABLED, false);
    }

    /** Whether fleet mode is on; a value that is not a boolean throws Boot's binding error. */
    static boolean isEnabled(Environment environment) {
        return Boolean.TRUE.equals(bind(environment, FleetProperties.ENABLED));
    }
}
