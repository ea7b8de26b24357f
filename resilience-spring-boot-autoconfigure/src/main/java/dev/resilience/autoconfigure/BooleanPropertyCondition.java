package dev.resilience.autoconfigure;

import org.jspecify.annotations.Nullable;
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
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when one switch property is {@code true}, or is unset and on by default. The property is bound as a
 * {@code Boolean}, so a value that is not a boolean (a blank one included) fails the start with Spring Boot's binding
 * error instead of silently leaving a feature on or off; the condition report says which value was found.
 */
abstract class BooleanPropertyCondition extends SpringBootCondition {

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

    private final String feature;
    private final String property;
    private final boolean onByDefault;

    BooleanPropertyCondition(String feature, String property, boolean onByDefault) {
        this.feature = feature;
        this.property = property;
        this.onByDefault = onByDefault;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition(feature);
        Boolean enabled = bind(context.getEnvironment(), property);
        if (enabled == null) {
            String because = "'" + property + "' is not set: " + (onByDefault ? "on" : "off") + " by default";
            return onByDefault
                    ? ConditionOutcome.match(message.because(because))
                    : ConditionOutcome.noMatch(message.because(because));
        }
        return enabled
                ? ConditionOutcome.match(message.because("'" + property + "' is true"))
                : ConditionOutcome.noMatch(message.because("'" + property + "' is false"));
    }

    /** The switch's value, {@code null} when unset; a value that is not a boolean throws Boot's binding error. */
    static @Nullable Boolean bind(Environment environment, String property) {
        return Binder.get(environment).bind(property, Bindable.of(Boolean.class), REJECT_BLANK).orElse(null);
    }
}
