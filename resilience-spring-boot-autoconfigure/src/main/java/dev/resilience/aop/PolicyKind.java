package dev.resilience.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.Policy;
import dev.resilience.core.fallback.FallbackDecorator;

/**
 * One kind of policy the annotations apply, and {@link #CHAIN}, the one ordered table of every kind, outermost
 * first: {@code Fallback → Retry → RateLimiter → CircuitBreaker → Timeout → Bulkhead → method}. The table drives the
 * pointcut, the annotation lookup, the building of each chain and the description that observation and endpoints
 * show, so a new kind is one entry here (its annotation, its key, how to name its instance) plus its own package.
 *
 * @param <A> the annotation of the kind
 */
public final class PolicyKind<A extends Annotation> {

    public static final PolicyKind<Fallback> FALLBACK = new PolicyKind<>("fallback", "fallback", Fallback.class,
            null, false, PolicyKind::fallbackLayer);
    public static final PolicyKind<Retry> RETRY = named("retry", "retry", Retry.class, Retry::name, true);
    public static final PolicyKind<RateLimiter> RATE_LIMITER = new PolicyKind<>("ratelimiter", "rate limiter",
            RateLimiter.class, RateLimiter::name, false, PolicyKind::rateLimiterLayer);
    public static final PolicyKind<CircuitBreaker> CIRCUIT_BREAKER = named("circuitbreaker", "circuit breaker",
            CircuitBreaker.class, CircuitBreaker::name, false);
    public static final PolicyKind<Timeout> TIMEOUT = named("timeout", "timeout", Timeout.class, Timeout::name,
            false);
    public static final PolicyKind<Bulkhead> BULKHEAD = named("bulkhead", "bulkhead", Bulkhead.class, Bulkhead::name,
            false);

    /** Every kind, outermost first. */
    public static final List<PolicyKind<?>> CHAIN = List.of(FALLBACK, RETRY, RATE_LIMITER, CIRCUIT_BREAKER, TIMEOUT,
            BULKHEAD);

    private final String key;
    private final String displayName;
    private final Class<A> annotationType;
    private final Function<A, String> declaredName;
    private final boolean repeatsTheRest;
    private final LayerFactory<A> layers;

    private PolicyKind(String key, String displayName, Class<A> annotationType, Function<A, String> declaredName,
            boolean repeatsTheRest, LayerFactory<A> layers) {
        this.key = key;
        this.displayName = displayName;
        this.annotationType = annotationType;
        this.declaredName = declaredName;
        this.repeatsTheRest = repeatsTheRest;
        this.layers = layers;
    }

    private static <A extends Annotation> PolicyKind<A> named(String key, String displayName, Class<A> annotationType,
            Function<A, String> declaredName, boolean repeatsTheRest) {
        return new PolicyKind<>(key, displayName, annotationType, declaredName, repeatsTheRest,
                (kind, annotation, instanceName, protectedMethod, policies) ->
                        new PolicyLayer(policies.policy(kind, instanceName)));
    }

    /** The kind's key in settings, endpoints and descriptions: {@code retry}, {@code circuitbreaker}, … */
    public String key() {
        return key;
    }

    /** How messages name the kind: {@code circuit breaker}. */
    public String displayName() {
        return displayName;
    }

    public Class<A> annotationType() {
        return annotationType;
    }

    /** Whether the kind is a named instance of a registry (every kind but the fallback). */
    public boolean isNamed() {
        return declaredName != null;
    }

    /** Whether the kind runs the rest of the chain more than once per call, so the method must be proceeded afresh. */
    boolean repeatsTheRest() {
        return repeatsTheRest;
    }

    /** The instance name the annotation declares, or {@code defaultName} when it declares none. */
    String instanceName(Annotation annotation, String defaultName) {
        String declared = declaredName.apply(annotationType.cast(annotation));
        return declared.isEmpty() ? defaultName : declared;
    }

    /**
     * The layer this kind adds to the chain of {@code method} for the annotation found on it.
     *
     * @param adapter the adapter of the method's asynchronous return type, {@code null} for a synchronous method
     */
    Layer layer(Annotation annotation, String instanceName, Method method, Class<?> userClass,
            ResiliencePolicies policies, AsyncReturnType adapter) {
        return layers.create(this, annotationType.cast(annotation), instanceName,
                new Target(method, userClass, adapter), policies);
    }

    @Override
    public String toString() {
        return key;
    }

    private static Layer fallbackLayer(PolicyKind<Fallback> kind, Fallback fallback, String unusedName,
            Target target, ResiliencePolicies policies) {
        AsyncReturnType adapter = target.adapter();
        FallbackMethod fallbackMethod = FallbackMethod.resolve(fallback, target.method(), target.userClass(), adapter);
        ExceptionClassifier appliesTo = new ExceptionClassifier(List.of(fallback.applyOn()), List.of(fallback.skipOn()));
        return new Layer() {
            @Override
            public Call<MethodInvocation> decorate(Call<MethodInvocation> next) {
                return FallbackDecorator.decorate(next, appliesTo, fallbackMethod::invoke);
            }

            @Override
            public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> next) {
                // the fallback's answer goes through the method's adapter, as each attempt's result does
                return FallbackDecorator.decorateAsync(next, appliesTo,
                        (invocation, failure) -> fallbackMethod.invokeAsync(invocation, failure, adapter));
            }
        };
    }

    /**
     * A rate limiter without a key is a policy layer like any other; with one, the layer evaluates the key expression
     * over the invocation's arguments, parsed and checked here, when the chain is built.
     */
    private static Layer rateLimiterLayer(PolicyKind<RateLimiter> kind, RateLimiter annotation, String instanceName,
            Target target, ResiliencePolicies policies) {
        Policy policy = policies.policy(kind, instanceName);
        if (annotation.key().isEmpty()) {
            return new PolicyLayer(policy);
        }
        if (!(policy instanceof dev.resilience.core.ratelimiter.RateLimiter limiter)) {
            throw new IllegalStateException("The rate limiter '" + instanceName + "' is a "
                    + policy.getClass().getName() + ", which cannot limit by key; @RateLimiter(key = ...) needs a "
                    + dev.resilience.core.ratelimiter.RateLimiter.class.getName());
        }
        KeyExpression key = KeyExpression.parse(annotation.key(), target.method());
        return new Layer() {
            @Override
            public Call<MethodInvocation> decorate(Call<MethodInvocation> next) {
                return limiter.decorate(next, key);
            }

            @Override
            public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> next) {
                return limiter.decorateAsync(next, key);
            }
        };
    }

    /** What one kind adds around the rest of a method's chain, built once when the chain is built. */
    interface Layer {

        Call<MethodInvocation> decorate(Call<MethodInvocation> next);

        AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> next);
    }

    /** A named policy instance as a layer. */
    private record PolicyLayer(Policy policy) implements Layer {

        PolicyLayer {
            Objects.requireNonNull(policy, "policy");
        }

        @Override
        public Call<MethodInvocation> decorate(Call<MethodInvocation> next) {
            return policy.decorate(next);
        }

        @Override
        public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> next) {
            return policy.decorateAsync(next);
        }
    }

    /** What a layer protects: the method, the bean's class and the adapter of its return type (null if synchronous). */
    private record Target(Method method, Class<?> userClass, AsyncReturnType adapter) {
    }

    @FunctionalInterface
    private interface LayerFactory<A extends Annotation> {

        Layer create(PolicyKind<A> kind, A annotation, String instanceName, Target target, ResiliencePolicies policies);
    }
}
