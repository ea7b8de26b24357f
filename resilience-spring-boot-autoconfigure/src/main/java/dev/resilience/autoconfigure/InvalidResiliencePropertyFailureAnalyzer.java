package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;

import java.util.ArrayList;
import java.util.List;

/**
 * Explains a start-up failure caused by an {@link InvalidResiliencePropertyException}: which property
 * has which bad value, where it was set (file and line, as Spring Boot prints origins, and the other
 * property sources that set it too), why, and what to change. Registered in {@code META-INF/spring.factories}.
 * <p>
 * The exception is Spring Boot's {@link org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException},
 * whose own analyzer would print it too; this one runs first because it finds the value however it was written
 * (relaxed names in every property source, environment variables included, and the element of a list set element
 * by element, as YAML lists are), and says what to change.
 */
public class InvalidResiliencePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResiliencePropertyException>
        implements Ordered {

    private final Environment environment;

    /** @param environment the application's environment, where the property is looked up; {@code null} for none */
    public InvalidResiliencePropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return 0; // before Spring Boot's analyzer of InvalidConfigurationPropertyValueException, which has no order
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidResiliencePropertyException cause) {
        List<ConfigurationProperty> settings = settings(cause);
        String where = settings.isEmpty() ? ""
                : " (originating from '" + UnknownResiliencePropertyFailureAnalyzer.origin(settings.get(0)) + "')";
        StringBuilder description = new StringBuilder("Invalid value '")
                .append(InvalidResiliencePropertyException.format(cause.getValue()))
                .append("' for property '").append(cause.getProperty()).append("'").append(where)
                .append(": ").append(cause.getReason());
        if (settings.size() > 1) {
            description.append(String.format("%n%nAdditionally, this property is also set in:%n"));
            for (ConfigurationProperty other : settings.subList(1, settings.size())) {
                description.append(String.format("%n\t- '%s' with the value '%s' (originating from '%s')",
                        source(other), other.getValue(), UnknownResiliencePropertyFailureAnalyzer.origin(other)));
            }
        }
        String action = "Change the property '" + cause.getProperty() + "' in your configuration"
                        + " (application.properties or application.yml, an environment variable or a system property):"
                        + " its value " + cause.getReason() + ". Or remove the property to use the default.";
        return new FailureAnalysis(description.toString(), action, cause);
    }

    /**
     * Where the property is set, the one in force first: in each property source, under any name relaxed binding
     * reads as it, or (for a list set element by element) its rejected element.
     */
    private List<ConfigurationProperty> settings(InvalidResiliencePropertyException cause) {
        List<ConfigurationProperty> settings = new ArrayList<>();
        if (environment == null) {
            return settings;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.adapt(cause.getProperty(), '.');
        ConfigurationPropertyName element = cause.getElement() >= 0 ? name.append("[" + cause.getElement() + "]") : null;
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property == null && element != null) {
                property = source.getConfigurationProperty(element);
            }
            if (property != null) {
                settings.add(property);
            }
        }
        return settings;
    }

    private static String source(ConfigurationProperty property) {
        Object source = property.getSource() != null ? property.getSource().getUnderlyingSource() : null;
        return source instanceof PropertySource<?> propertySource
                ? propertySource.getName() : String.valueOf(source);
    }
}
