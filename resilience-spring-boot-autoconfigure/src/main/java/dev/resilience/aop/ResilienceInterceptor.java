package dev.resilience.aop;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
 * <p>A method whose declared return type an {@link AsyncReturnType} supports ({@code CompletionStage} and
 * {@code CompletableFuture} always) gets the asynchronous chain: the adapter turns the method's result into a stage
 * and the chain's stage into what the caller gets, and nothing blocks; a synchronous throw or a {@code null} from the
 * method becomes a failed stage. A return type that is asynchronous in a way no adapter supports fails the start
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
    private final AsyncReturnTypes returnTypes;
    private final ChainCache chains = new ChainCache();

    /** An interceptor whose asynchronous methods return {@code CompletionStage} or {@code CompletableFuture}. */
    public ResilienceInterceptor(ResiliencePolicies policies) {
        this(policies, AsyncReturnTypes.standard());
    }

    public ResilienceInterceptor(ResiliencePolicies policies, AsyncReturnTypes returnTypes) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.returnTypes = Objects.requireNonNull(returnTypes, "returnTypes");
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
        List<PolicyKind.Layer> layers = new ArrayList<>();
        Map<String, String> instances = new LinkedHashMap<>();
        boolean hasFallback = false;
        boolean repeats = false;
        // the layers of the table, outermost first, each built once
        for (PolicyKind<?> kind : PolicyKind.CHAIN) {
            Annotation annotation = find(method, userClass, kind.annotationType());
            if (annotation == null) {
                continue;
            }
            String instanceName = kind.isNamed() ? kind.instanceName(annotation, defaultName) : null;
            layers.add(kind.layer(annotation, instanceName, method, userClass, policies));
            if (kind.isNamed()) {
                instances.put(kind.key(), instanceName);
            } else {
                hasFallback = true;
            }
            repeats |= kind.repeatsTheRest();
        }
        if (layers.isEmpty()) {
            return PROCEED;
        }
        ProtectedMethod description = new ProtectedMethod(userClass, method, instances, hasFallback);
        ChainDecorator decorator = policies.decorator();
        // the fallback, when there is one, is the outermost layer: the decorator may also wrap what is inside it
        int inside = hasFallback ? 1 : 0;
        AsyncReturnType adapter = returnTypes.find(method);
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

    private static <A extends Annotation> A find(Method method, Class<?> userClass, Class<A> type) {
        A onMethod = AnnotatedElementUtils.findMergedAnnotation(method, type);
        if (onMethod != null || !Modifier.isPublic(method.getModifiers()) || ReflectionUtils.isObjectMethod(method)) {
            return onMethod;
        }
        A onType = AnnotatedElementUtils.findMergedAnnotation(userClass, type);
        return (onType != null) ? onType : AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), type);
    }

    private AsyncCall<MethodInvocation> asyncTerminal(boolean fresh, AsyncReturnType adapter, String description) {
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
                        new NullPointerException(description + " returned null instead of a " + adapter));
            }
            return adapter.toStage(result);
        };
    }
}
