package dev.resilience.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Limits how often the method is called: at most {@code limit-for-period} calls in each {@code limit-refresh-period}
 * (or {@code rate: N-S|M|H|D}). A call beyond it waits up to {@code timeout-duration} for a permit of a later period
 * (parking a synchronous caller's thread; an asynchronous caller's future is completed later, no thread waits), and
 * is otherwise refused with {@link dev.resilience.core.RateLimitExceededException}, which answers 429 with
 * {@code Retry-After} over HTTP. Every retry attempt takes a permit; a refusal is never recorded as a failure by the
 * breaker inside it and is not retried unless {@code retry-exceptions} names it.
 *
 * <p>With {@link #key()}, each distinct value of the key has a limit of its own ({@code max-keys} at most, the least
 * recently used let go first): {@code @RateLimiter(name = "offers", key = "#customerId")}.
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
public @interface RateLimiter {

    /**
     * The instance name: settings are bound from {@code resilience.ratelimiter.instances.<name>} and every method
     * that uses the same name shares one instance (and, with a key, one set of keys). Empty means
     * {@code SimpleClassName.methodName}.
     */
    @AliasFor("value")
    String name() default "";

    /** Alias for {@link #name()}. */
    @AliasFor("name")
    String value() default "";

    /**
     * A SpEL expression over the method's parameters whose value is the key of the call: {@code #customerId} (the
     * parameter by name, which needs the {@code -parameters} compiler flag, as Spring Boot's build plugins set),
     * {@code #p0} or {@code #a0} (by position), {@code #order.customerId}, {@code #region + ':' + #customerId}.
     * Each distinct value (compared with {@code equals}) has a limit of its own. A call whose key is {@code null}
     * takes a permit of the instance's own limit, the one calls without a key share: a missing key neither bypasses
     * the limit nor fails the call. Empty (the default): every call takes a permit of the instance's own limit.
     *
     * <p>The expression is parsed and checked when the bean is created (a syntax error, or a variable that names
     * no parameter, fails the start), and compiled to bytecode after its first hundred calls when SpEL can compile it.
     */
    String key() default "";
}
