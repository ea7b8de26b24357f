package dev.resilience.autoconfigure;

import org.springframework.context.annotation.Conditional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Matches unless {@code resilience.enabled} is {@code false}. The value is bound the way Spring Boot binds any
 * {@code Boolean} property, so a value that is not a boolean ({@code maybe}, or a blank one) fails the start with
 * Spring Boot's own binding error, naming the property, the value and where it was set, instead of silently
 * switching the starter off.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Documented
@Conditional(OnResilienceEnabledCondition.class)
@interface ConditionalOnResilienceEnabled {
}
