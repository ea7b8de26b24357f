package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Calls the method again when it fails with a retryable exception, up to {@code max-attempts} attempts in
 * all, waiting between attempts (without blocking a thread for asynchronous methods). When the attempts are
 * exhausted the last exception of the method is rethrown unchanged. Each attempt runs every advice that lies
 * inside this one again (for example {@code @Transactional} starts a new transaction per attempt).
 *
 * <p>When several annotations meet on one method they nest in a fixed order, outermost first:
 * {@link Fallback} → {@link Retry} → {@link RateLimiter} → {@link CircuitBreaker} → {@link Timeout} →
 * {@link Bulkhead} → the method. On a type, the annotation applies to every public method of the bean; an annotation
 * of the same kind on a method wins over the one on its type. Annotations are found on the method, on the methods it
 * overrides or implements (interfaces included), then on the class and its supertypes; they also work as
 * meta-annotations.
 *
 * <p>The instance name is {@link #name()} (or {@link #value()}); when both are empty it is
 * {@code SimpleClassName.methodName}, with the simple name of the bean's own class (never a proxy class).
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface Retry {

    /**
     * The instance name: settings are bound from {@code resilience.retry.instances.<name>} and every method
     * that uses the same name shares one instance. Empty means {@code SimpleClassName.methodName}.
     */
    @AliasFor("value")
    String name() default "";

    /** Alias for {@link #name()}. */
    @AliasFor("name")
    String value() default "";
}
