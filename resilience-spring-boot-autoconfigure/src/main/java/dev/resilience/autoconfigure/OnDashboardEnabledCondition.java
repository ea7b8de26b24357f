package dev.resilience.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches only when {@code resilience.dashboard.enabled} is {@code true}. Bound as a {@code Boolean}, as
 * {@code resilience.enabled} is, so that a value that is not a boolean fails the start with Spring Boot's binding error
 * instead of silently leaving the live view off.
 */
class OnDashboardEnabledCondition extends SpringBootCondition {

    static final String PROPERTY = DashboardProperties.PREFIX + ".enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Resilience live view");
        Boolean enabled = Binder.get(context.getEnvironment())
                .bind(PROPERTY, Bindable.of(Boolean.class), OnResilienceEnabledCondition.REJECT_BLANK).orElse(null);
        if (enabled == null) {
            return ConditionOutcome.noMatch(message.because("'" + PROPERTY + "' is not set: off by default"));
        }
        return enabled
                ? ConditionOutcome.match(message.because("'" + PROPERTY + "' is true"))
                : ConditionOutcome.noMatch(message.because("'" + PROPERTY + "' is false"));
    }
}
