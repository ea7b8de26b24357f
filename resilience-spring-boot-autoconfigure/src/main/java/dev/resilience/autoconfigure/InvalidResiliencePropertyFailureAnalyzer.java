package dev.resilience.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by an {@link InvalidResiliencePropertyException}: which property
 * has which bad value, why, and what to change. Registered in {@code META-INF/spring.factories}.
 */
public class InvalidResiliencePropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidResiliencePropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidResiliencePropertyException cause) {
        String description = cause.getMessage();
        String action = "Change the property '" + cause.getProperty() + "' in your configuration"
                + " (application.properties or application.yml, an environment variable or a system property):"
                + " its value " + cause.getReason() + ". Or remove the property to use the default.";
        return new FailureAnalysis(description, action, cause);
    }
}
