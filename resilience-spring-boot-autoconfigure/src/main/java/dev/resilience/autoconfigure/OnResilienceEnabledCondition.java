package dev.resilience.autoconfigure;

/** The condition of {@link ConditionalOnResilienceEnabled}: {@code resilience.enabled}, on by default. */
class OnResilienceEnabledCondition extends BooleanPropertyCondition {

    static final String PROPERTY = "resilience.enabled";

    OnResilienceEnabledCondition() {
        super("@" + ConditionalOnResilienceEnabled.class.getSimpleName(), PROPERTY, true);
    }
}
