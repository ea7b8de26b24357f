package dev.resilience.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnResilienceEnabled}: binds {@code resilience.enabled} as a {@code Boolean}
 * and says in the condition report which value it found.
 */
class OnResilienceEnabledCondition extends SpringBootCondition {

    static final String PROPERTY = "resilience.enabled";

    /** A value that converts to no boolean at all (a blank one) is as wrong as {@code maybe}. */
    static final BindHandler REJECT_BLANK = new AbstractBindHandler() {

        @Override
        public void onFinish(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Object result)
                throws Exception {
            if (result == null && context.getConfigurationProperty() != null) {
                throw new IllegalArgumentException("Invalid boolean value '"
                        + context.getConfigurationProperty().getValue() + "': use true or false");
            }
            super.onFinish(name, target, context, result);
        }
    };

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnResilienceEnabled.class);
        // a value that is not a boolean throws Spring Boot's BindException here, which fails the start
        Boolean enabled = Binder.get(context.getEnvironment())
                .bind(PROPERTY, Bindable.of(Boolean.class), REJECT_BLANK).orElse(null);
        if (enabled == null) {
            return ConditionOutcome.match(message.because("'" + PROPERTY + "' is not set: on by default"));
        }
        return enabled
                ? ConditionOutcome.match(message.because("'" + PROPERTY + "' is true"))
                : ConditionOutcome.noMatch(message.because("'" + PROPERTY + "' is false"));
    }
}
