package dev.resilience.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a start-up failure caused by {@code resilience4j.*} properties that nothing reads: which ones, and the
 * {@code resilience.*} settings to paste instead. Registered in {@code META-INF/spring.factories}.
 */
public class Resilience4jPropertiesFailureAnalyzer extends AbstractFailureAnalyzer<Resilience4jPropertiesFoundException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, Resilience4jPropertiesFoundException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
    }
}
