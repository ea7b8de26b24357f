package dev.resilience.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.resilience.aop.FallbackMethodException;

/**
 * Explains a start that failed because a {@code @Fallback} names no usable method: the description says which
 * method, which fallback and what signature was expected. Registered in {@code META-INF/spring.factories}.
 */
class FallbackMethodFailureAnalyzer extends AbstractFailureAnalyzer<FallbackMethodException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, FallbackMethodException cause) {
        return new FailureAnalysis(cause.getMessage(), "Declare the fallback method on the bean class or a"
                + " superclass with the expected signature (the protected method's parameters, optionally followed by"
                + " one Throwable parameter, and a return type assignable to the protected method's), or correct the"
                + " name in @Fallback.", cause);
    }
}
