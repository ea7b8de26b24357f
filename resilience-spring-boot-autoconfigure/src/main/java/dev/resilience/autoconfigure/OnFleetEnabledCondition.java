package dev.resilience.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches only when {@code resilience.fleet.enabled} is {@code true}; bound as a {@code Boolean}, so that a value
 * that is not a boolean fails the start instead of leaving fleet mode off.
 */
class OnFleetEnabledCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Resilience fleet mode");
        boolean enabled = isEnabled(context.getEnvironment());
        return enabled ? ConditionOutcome.match(message.because("'" + FleetProperties.ENABLED + "' is true"))
                : ConditionOutcome.noMatch(message.because("'" + FleetProperties.ENABLED + "' is not true"));
    }

    static boolean isEnabled(org.springframework.core.env.Environment environment) {
        return Binder.get(environment).bind(FleetProperties.ENABLED, Bindable.of(Boolean.class),
                OnResilienceEnabledCondition.REJECT_BLANK).orElse(Boolean.FALSE);
    }
}
