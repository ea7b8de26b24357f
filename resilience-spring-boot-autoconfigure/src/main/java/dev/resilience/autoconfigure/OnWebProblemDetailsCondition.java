package dev.resilience.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches unless {@code resilience.web.problem-details} is {@code false}. Bound as a {@code Boolean}, as
 * {@code resilience.enabled} is, so that a value that is not a boolean fails the start with Spring Boot's binding error
 * instead of silently switching the answers off.
 */
class OnWebProblemDetailsCondition extends SpringBootCondition {

    static final String PROPERTY = "resilience.web.problem-details";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition("Resilience problem details");
        Boolean enabled = Binder.get(context.getEnvironment())
                .bind(PROPERTY, Bindable.of(Boolean.class), OnResilienceEnabledCondition.REJECT_BLANK).orElse(null);
        if (enabled == null) {
            return ConditionOutcome.match(message.because("'" + PROPERTY + "' is not set: on by default"));
        }
        return enabled
                ? ConditionOutcome.match(message.because("'" + PROPERTY + "' is true"))
                : ConditionOutcome.noMatch(message.because("'" + PROPERTY + "' is false"));
    }
}
