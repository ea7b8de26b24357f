package dev.resilience.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;

/**
 * Runs an annotated method through its chain, outermost first, in the order of {@link PolicyKind#CHAIN}:
 * {@code Fallback → Retry → RateLimiter → CircuitBreaker → Timeout → Bulkhead → method}.
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
 * <p>A method whose declared return type an {@link AsyncReturnType} supports ({@code CompletionStage} and
 * {@code CompletableFuture} always; Reactor's {@code Mono} and {@code Flux} when their adapters are registered) gets
 * the asynchronous chain: the adapter runs each attempt, turning the method's result into a stage, and turns the
 * chain's stage into what the caller gets, and nothing blocks; a synchronous throw or a {@code null} from the method
 * becomes a failed stage. An adapter of a lazy type runs the chain once per subscription with a
 * {@link DeferredInvocation}, whose proxy invocation every attempt proceeds afresh. A return type that is asynchronous in a way no adapter supports fails the start
 * ({@link AsyncReturnTypes}). Every other method (any type, {@code void}, primitives) gets the synchronous chain, and
 * the caller sees the method's own exception as the proxy lets it through (a checked exception the method does not
 * declare is wrapped in {@code UndeclaredThrowableException} by the proxy, not by us).
 *
 * <p>With {@code @Retry} every attempt proceeds through the rest of the proxy's chain as if for the first time
 * ({@link RewindableInvocation}), so every advice inside this one (for example a transaction) runs again per
 * attempt.
 *
 * <p>The {@link ChainDecorator} of the {@link ResiliencePolicies}, if any, wraps each whole chain, fallback included.
 */
public class ResilienceInterceptor implements MethodInterceptor {

    static final List<Class<? extends Annotation>> ANNOTATION_TYPES =
            PolicyKind.CHAIN.stream().<Class<? extends Annotation>>map(PolicyKind::annotationType).toList();

    private static final Call<MethodInvocation> PROCEED = MethodInvocation::proceed;

    /** With a retry, every attempt proceeds through the rest of the proxy's chain as if for the first time. */
    private final Call<MethodInvocation> proceedAgain = invocation -> RewindableInvocation.proceedAgain(invocation, this);

    private final ResiliencePolicies policies;
    private final Supplier<AsyncReturnTypes> returnTypeLookup;
    private final ChainCache chains = new ChainCache();
    /** Resolved from {@link #returnTypeLookup} when the first chain is built. */
    private volatile AsyncReturnTypes returnTypes;

    /** An interceptor whose asynchronous methods return {@code CompletionStage} or {@code CompletableFuture}. */
    public ResilienceInterceptor(ResiliencePolicies policies) {
        this(policies, AsyncReturnTypes.standard());
    }

    public ResilienceInterceptor(ResiliencePolicies policies, AsyncReturnTypes returnTypes) {
        this(policies, supplierOf(Objects.requireNonNull(returnTypes, "returnTypes")));
    }

    /**
     * @param returnTypes supplies the adapters of the asynchronous return types; asked once, when the first chain is
     *                    built, so that they may be resolved lazily (from the application's beans, say)
     */
    public ResilienceInterceptor(ResiliencePolicies policies, Supplier<AsyncReturnTypes> returnTypes) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.returnTypeLookup = Objects.requireNonNull(returnTypes, "returnTypes");
    }

    private static Supplier<AsyncReturnTypes> supplierOf(AsyncReturnTypes returnTypes) {
        return () -> returnTypes;
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
     * @throws ResilienceAnnotationException when a chain cannot be built; the message names the bean class and method
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
            throw new ResilienceAnnotationException(userClass, method, ex);
        }
    }

    private Call<MethodInvocation> buildChain(Method method, Class<?> userClass) {
        String defaultName = userClass.getSimpleName() + "." + method.getName();
        List<PolicyKind<?>> kinds = new ArrayList<>();
        List<Annotation> annotations = new ArrayList<>();
        // the kinds of the table found on the method, outermost first
        for (PolicyKind<?> kind : PolicyKind.CHAIN) {
            Annotation annotation = find(method, userClass, kind.annotationType());
            if (annotation != null) {
                kinds.add(kind);
                annotations.add(annotation);
            }
        }
        if (kinds.isEmpty()) {
            return PROCEED;
        }
        AsyncReturnType adapter = returnTypes().find(method);
        List<PolicyKind.Layer> layers = new ArrayList<>();
        Map<String, String> instances = new LinkedHashMap<>();
        boolean hasFallback = false;
        boolean repeats = false;
        // each layer built once
        for (int i = 0; i < kinds.size(); i++) {
            PolicyKind<?> kind = kinds.get(i);
            String instanceName = kind.isNamed() ? kind.instanceName(annotations.get(i), defaultName) : null;
            layers.add(kind.layer(annotations.get(i), instanceName, method, userClass, policies, adapter));
            if (kind.isNamed()) {
                instances.put(kind.key(), instanceName);
            } else {
                hasFallback = true;
            }
            repeats |= kind.repeatsTheRest();
        }
        ProtectedMethod description = new ProtectedMethod(userClass, method, instances, hasFallback);
        ChainDecorator decorator = policies.decorator();
        // the fallback, when there is one, is the outermost layer: the decorator may also wrap what is inside it
        int inside = hasFallback ? 1 : 0;
        if (adapter == null) {
            Call<MethodInvocation> call = repeats ? proceedAgain : PROCEED;
            for (int i = layers.size() - 1; i >= inside; i--) {
                call = layers.get(i).decorate(call);
            }
            if (hasFallback) {
                call = layers.get(0).decorate(decorator.decorateInsideFallback(call, description));
            }
            return decorator.decorate(call, description);
        }
        AsyncCall<MethodInvocation> call = asyncTerminal(repeats, adapter, Signatures.method(userClass, method));
        for (int i = layers.size() - 1; i >= inside; i--) {
            call = layers.get(i).decorateAsync(call);
        }
        if (hasFallback) {
            call = layers.get(0).decorateAsync(decorator.decorateAsyncInsideFallback(call, description));
        }
        AsyncCall<MethodInvocation> chain = decorator.decorateAsync(call, description);
        return invocation -> adapter.toReturnValue(chain, invocation);
    }

    private AsyncReturnTypes returnTypes() {
        AsyncReturnTypes resolved = returnTypes;
        if (resolved == null) {
            resolved = Objects.requireNonNull(returnTypeLookup.get(), "the supplier of return types returned null");
            returnTypes = resolved;
        }
        return resolved;
    }

    private static <A extends Annotation> A find(Method method, Class<?> userClass, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (onMethod != null || !Modifier.isPublic(method.getModifiers()) || ReflectionUtils.isObjectMethod(method)) {
            return onMethod;
        }
        A onType = AnnotatedElementUtils.findMergedAnnotation(userClass, type);
        return (onType != null) ? onType : AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), type);
    }

    /**
     * The innermost step of an asynchronous chain: one attempt, which the adapter runs. The method is proceeded
     * afresh (rewound to this interceptor's place in the proxy's chain) when a retry may run it again, and always
     * for a {@link DeferredInvocation}, whose every subscription and attempt proceeds the proxy's invocation anew.
     * A {@code null} result fails the attempt.
     */
    private AsyncCall<MethodInvocation> asyncTerminal(boolean fresh, AsyncReturnType adapter, String description) {
        String nullResult = description + " returned null instead of a " + adapter;
        Call<MethodInvocation> method = invocation -> {
            Object result;
            if (invocation instanceof DeferredInvocation deferred) {
                result = RewindableInvocation.proceedAgain(deferred.proxied(), this);
            }
            else {
                result = fresh ? RewindableInvocation.proceedAgain(invocation, this) : invocation.proceed();
            }
            if (result == null) {
                throw new NullPointerException(nullResult);
            }
            return result;
        };
        return invocation -> adapter.attempt(invocation, method);
    }
}
