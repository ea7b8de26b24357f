package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Names a method that answers in place of the protected one when the chain inside the fallback ends
 * exceptionally with a throwable that is an instance of one of {@link #applyOn()} and of none of
 * {@link #skipOn()} ({@code skipOn} wins); any other throwable propagates unchanged. A
 * {@link VirtualMachineError} (out of memory, stack overflow) never reaches a fallback.
 *
 * <p>The fallback method is declared on the same bean class or a superclass, with any visibility. It takes the
 * same parameter types as the protected method, optionally followed by one last parameter of type
 * {@link Throwable} or a subtype, which receives the failure; when several overloads accept the failure, the one
 * with the most specific exception type wins, and an overload without the exception parameter is the least
 * specific. Its return type is assignable to the protected method's; an asynchronous method
 * ({@code CompletionStage}/{@code CompletableFuture}) needs an asynchronous fallback of the same kind. A missing
 * or mismatched fallback method, or an empty name, fails the application start.
 *
 * <p>The fallback is the outermost step of the chain, outermost first:
 * {@code Fallback} → {@link Retry} → {@link RateLimiter} → {@link CircuitBreaker} → {@link Timeout} →
 * {@link Bulkhead} → the method, so it sees the outcome after every retry attempt and also answers for calls the
 * rate limiter, the breaker or the bulkhead rejected. On a type, the annotation applies to every public method of
 * the bean (each one then needs a matching fallback overload); an annotation on a method wins over the one on its
 * type.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface Fallback {

    /** The name of the fallback method; must not be empty (either this or {@link #value()}). */
    @AliasFor("value")
    String method() default "";

    /** Alias for {@link #method()}. */
    @AliasFor("method")
    String value() default "";

    /** The throwables the fallback answers for (instances of these classes or their subclasses). */
    Class<? extends Throwable>[] applyOn() default {Throwable.class};

    /** The throwables that always propagate, even when listed in {@link #applyOn()}. */
    Class<? extends Throwable>[] skipOn() default {};
}
