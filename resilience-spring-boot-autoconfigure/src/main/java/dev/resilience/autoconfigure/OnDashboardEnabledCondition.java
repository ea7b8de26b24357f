package dev.resilience.autoconfigure;

/** Matches only when {@code resilience.dashboard.enabled} is {@code true}: the live view is off by default. */
class OnDashboardEnabledCondition extends BooleanPropertyCondition {

    static final String PROPERTY = DashboardProperties.PREFIX + ".enabled";

    OnDashboardEnabledCondition() {
        super("Resilience live view", PROPERTY, false);
    }
}
