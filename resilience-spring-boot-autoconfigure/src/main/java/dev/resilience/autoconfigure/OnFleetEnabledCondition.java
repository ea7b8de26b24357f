package dev.resilience.autoconfigure;

/** Matches only when {@code resilience.fleet.enabled} is {@code true}: fleet mode is off by default. */
class OnFleetEnabledCondition extends BooleanPropertyCondition {

    OnFleetEnabledCondition() {
        super("Resilience fleet mode", FleetProperties.ENABLED, false);
    }
}
