package dev.resilience.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.fallback.FallbackDecorator;

/**
 * Runs an annotated method through its chain, outermost first:
 * {@code Fallback → Retry → CircuitBreaker → Timeout → Bulkhead → method}.
 *
 * <p>Each chain is built once per (method, bean class) by decorating from the inside out, and {@link #prepare}
 * builds all of a bean class's chains when the bean is proxied, so that every mistake (a missing fallback, a
 * policy that cannot protect the method) fails the start. A call then costs one map lookup plus the chain.
 *
 * <p>Annotations are looked up on the method (and the methods it overrides or implements, through Spring's merged
 * annotations, so interfaces and meta-annotations work), then, for public methods only, on the bean class and its
 * supertypes and on the method's declaring class; a method-level annotation wins over a type-level one of the same
 * kind. {@code equals}, {@code hashCode} and {@code toString} are never covered by a type-level annotation. An empty
 * instance name becomes {@code SimpleClassName.methodName}, with the bean's own class (never a CGLIB class).
 *
 * <p>Methods whose declared return type is {@code CompletionStage} or {@code CompletableFuture} get an
 * asynchronous chain: the interceptor returns a {@link CompletableFuture} and never blocks; a synchronous throw
 * or a {@code null} from the method becomes a failed future. Every other method (any type, {@code void},
 * primitives) gets a synchronous chain, and the caller sees the method's own exception unchanged.
 *
 * <p>With {@code @Retry} every attempt proceeds through the rest of the proxy's chain as if for the first time
 * ({@link RewindableInvocation}), so every advice inside this one (for example a transaction) runs again per
 * attempt.
 *
 * <p>The {@link ChainDecorator} of the {@link ResiliencePolicies}, if any, wraps each whole chain, fallback included.
 */
public class ResilienceInterceptor implements MethodInterceptor {

    static final List<Class<? extends Annotation>> ANNOTATION_TYPES =
            List.of(Fallback.class, Retry.class, CircuitBreaker.class, Timeout.class, Bulkhead.class);

    private static final Call<MethodInvocation> PROCEED = MethodInvocation::proceed;

    /** With a retry, every attempt proceeds through the rest of the proxy's chain as if for the first time. */
    private final Call<MethodInvocation> proceedAgain = invocation -> RewindableInvocation.proceedAgain(invocation, this);

    private final ResiliencePolicies policies;
    private final ChainCache chains = new ChainCache();

    public ResilienceInterceptor(ResiliencePolicies policies) {
        this.policies = Objects.requireNonNull(policies, "policies");
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = (target != null) ? target.getClass() : method.getDeclaringClass();
        Call<MethodInvocation> chain = chains.get(method, targetClass);
        if (chain == null) {
            chain = resolve(method, targetClass);
        }
        return chain.invoke(invocation);
    }

    /**
     * Builds the chains of every annotated method of the class now, so that a mistake fails the start.
     *
     * @param targetClass the class of the bean instance behind the proxy
     * @throws FallbackMethodException when a fallback method is missing or does not match
     * @throws IllegalStateException   when a chain cannot be built; the message names the bean class and method
     */
    public void prepare(Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        Method[] methods = ReflectionUtils.getUniqueDeclaredMethods(userClass, ReflectionUtils.USER_DECLARED_METHODS);
        for (Method method : methods) {
            int modifiers = method.getModifiers();
            // private and static methods are never intercepted by a proxy
            if (!Modifier.isStatic(modifiers) && !Modifier.isPrivate(modifiers)
                    && chains.get(method, targetClass) == null) {
                Call<MethodInvocation> chain = build(method, targetClass);
                if (chain != PROCEED) {
                    chains.putIfAbsent(method, targetClass, chain);
                }
            }
        }
    }

    private Call<MethodInvocation> resolve(Method invoked, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(invoked, ClassUtils.getUserClass(targetClass));
        Call<MethodInvocation> chain = chains.get(specific, targetClass);
        if (chain == null) {
            chain = chains.putIfAbsent(specific, targetClass, build(specific, targetClass));
        }
        return (specific == invoked) ? chain : chains.putIfAbsent(invoked, targetClass, chain);
    }

    private Call<MethodInvocation> build(Method method, Class<?> targetClass) {
        Class<?> userClass = ClassUtils.getUserClass(targetClass);
        try {
            return buildChain(method, userClass);
        }
        catch (FallbackMethodException ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            throw new IllegalStateException("Cannot apply resilience annotations to "
                    + Signatures.method(userClass, method) + " of bean class " + userClass.getName() + ": "
                    + ex.getMessage(), ex);
        }
    }

    private Call<MethodInvocation> buildChain(Method method, Class<?> userClass) {
        Fallback fallback = find(method, userClass, Fallback.class);
        Retry retry = find(method, userClass, Retry.class);
        CircuitBreaker circuitBreaker = find(method, userClass, CircuitBreaker.class);
        Timeout timeout = find(method, userClass, Timeout.class);
        Bulkhead bulkhead = find(method, userClass, Bulkhead.class);
        if (fallback == null && retry == null && circuitBreaker == null && timeout == null && bulkhead == null) {
            return PROCEED;
        }
        FallbackMethod fallbackMethod = (fallback != null) ? FallbackMethod.resolve(fallback, method, userClass) : null;
        String defaultName = userClass.getSimpleName() + "." + method.getName();
        Class<?> returnType = method.getReturnType();
        if (!CompletionStage.class.isAssignableFrom(returnType)) {
            Call<MethodInvocation> call = (retry != null) ? proceedAgain : PROCEED;
            if (bulkhead != null) {
                call = policies.bulkhead(name(bulkhead.name(), defaultName)).decorate(call);
            }
            if (timeout != null) {
                call = policies.timeout(name(timeout.name(), defaultName)).decorate(call);
            }
            if (circuitBreaker != null) {
                call = policies.circuitBreaker(name(circuitBreaker.name(), defaultName)).decorate(call);
            }
            if (retry != null) {
                call = policies.retry(name(retry.name(), defaultName)).decorate(call);
            }
            if (fallbackMethod != null) {
                call = FallbackDecorator.decorate(call, classifier(fallback), fallbackMethod::invoke);
            }
            return policies.decorator().decorate(call,
                    describe(method, userClass, defaultName, retry, circuitBreaker, timeout, bulkhead, fallback));
        }
        if (!returnType.isAssignableFrom(CompletableFuture.class)) {
            throw new IllegalStateException("the asynchronous return type " + returnType.getName()
                    + " is not supported: declare CompletionStage or CompletableFuture");
        }
        AsyncCall<MethodInvocation> call = asyncTerminal(retry != null, Signatures.method(userClass, method));
        if (bulkhead != null) {
            call = policies.bulkhead(name(bulkhead.name(), defaultName)).decorateAsync(call);
        }
        if (timeout != null) {
            call = policies.timeout(name(timeout.name(), defaultName)).decorateAsync(call);
        }
        if (circuitBreaker != null) {
            call = policies.circuitBreaker(name(circuitBreaker.name(), defaultName)).decorateAsync(call);
        }
        if (retry != null) {
            call = policies.retry(name(retry.name(), defaultName)).decorateAsync(call);
        }
        if (fallbackMethod != null) {
            call = FallbackDecorator.decorateAsync(call, classifier(fallback), fallbackMethod::invokeAsync);
        }
        AsyncCall<MethodInvocation> chain = policies.decorator().decorateAsync(call,
                describe(method, userClass, defaultName, retry, circuitBreaker, timeout, bulkhead, fallback));
        return invocation -> chain.invoke(invocation).toCompletableFuture();
    }

    private static <A extends Annotation> A find(Method method, Class<?> userClass, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (onMethod != null || !Modifier.isPublic(method.getModifiers()) || ReflectionUtils.isObjectMethod(method)) {
            return onMethod;
        }
        A onType = AnnotatedElementUtils.findMergedAnnotation(userClass, type);
        return (onType != null) ? onType : AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), type);
    }

    private static ProtectedMethod describe(Method method, Class<?> userClass, String defaultName, Retry retry,
            CircuitBreaker circuitBreaker, Timeout timeout, Bulkhead bulkhead, Fallback fallback) {
        Map<String, String> instances = new LinkedHashMap<>();
        if (retry != null) {
            instances.put("retry", name(retry.name(), defaultName));
        }
        if (circuitBreaker != null) {
            instances.put("circuitbreaker", name(circuitBreaker.name(), defaultName));
        }
        if (timeout != null) {
            instances.put("timeout", name(timeout.name(), defaultName));
        }
        if (bulkhead != null) {
            instances.put("bulkhead", name(bulkhead.name(), defaultName));
        }
        return new ProtectedMethod(userClass, method, instances, fallback != null);
    }

    private static String name(String declared, String defaultName) {
        return declared.isEmpty() ? defaultName : declared;
    }

    private static ExceptionClassifier classifier(Fallback fallback) {
        return new ExceptionClassifier(List.of(fallback.applyOn()), List.of(fallback.skipOn()));
    }

    @SuppressWarnings("unchecked")
    private AsyncCall<MethodInvocation> asyncTerminal(boolean fresh, String description) {
        return invocation -> {
            Object result;
            try {
                result = fresh ? RewindableInvocation.proceedAgain(invocation, this) : invocation.proceed();
            }
            catch (VirtualMachineError error) {
                throw error;
            }
            catch (Throwable failure) {
                return CompletableFuture.failedFuture(failure);
            }
            if (result == null) {
                return CompletableFuture.failedFuture(
                        new NullPointerException(description + " returned null instead of a CompletionStage"));
            }
            return (CompletionStage<Object>) result;
        };
    }
}
