package dev.resilience.aop;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import dev.resilience.annotation.Fallback;

/**
 * The fallback overloads of one protected method, resolved and validated once; at call time the overload for the
 * failure's class is picked from a per-class cache and run through a method handle prepared at start-up.
 */
final class FallbackMethod {

    private static final MethodType INVOKER_TYPE =
            MethodType.methodType(Object.class, Object.class, Object[].class, Throwable.class);

    private static final Candidate NONE = new Candidate(null, null, null);

    /** Names the fallback in the message of a {@code null} answer: built once, not per call. */
    private final String nullAnswerSubject;
    private final List<Candidate> candidates;
    private final ClassValue<Candidate> byFailureClass = new ClassValue<>() {
        @Override
        protected Candidate computeValue(Class<?> failureClass) {
            return select(failureClass);
        }
    };

    private FallbackMethod(String description, List<Candidate> candidates) {
        this.nullAnswerSubject = "The " + description;
        this.candidates = candidates;
    }

    /**
     * @param protectedMethod the method the fallback stands in for, as declared on (or inherited by) the bean class
     * @param userClass       the bean's own class (not a proxy class)
     * @throws FallbackMethodException when the name is empty or no overload matches, or one of that name has the
     *                                 right parameters but a return type that does not fit
     */
    static FallbackMethod resolve(Fallback fallback, Method protectedMethod, Class<?> userClass) {
        return resolve(fallback, protectedMethod, userClass, null);
    }

    /**
     * @param adapter the adapter of the protected method's asynchronous return type, {@code null} when it is
     *                synchronous: an asynchronous method's fallback must return the same asynchronous type
     */
    static FallbackMethod resolve(Fallback fallback, Method protectedMethod, Class<?> userClass,
            AsyncReturnType adapter) {
        String name = fallback.method();
        Class<?>[] parameters = protectedMethod.getParameterTypes();
        String protectedDescription = Signatures.method(userClass, protectedMethod);
        if (name.isEmpty()) {
            throw new FallbackMethodException("Empty fallback method name '' in @Fallback for "
                    + protectedDescription + ": expected " + expected("<name>", protectedMethod, userClass, adapter));
        }
        List<Candidate> candidates = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        Set<List<Class<?>>> seen = new HashSet<>();
        boolean wrongReturnType = false;
        for (Method method : declaredNamed(userClass, name)) {
            if (!seen.add(Arrays.asList(method.getParameterTypes()))) {
                // an overload already found on a subclass overrides or hides this one
                continue;
            }
            Class<? extends Throwable> exceptionType = exceptionParameter(method, parameters);
            if (exceptionType == null && !Arrays.equals(method.getParameterTypes(), parameters)) {
                mismatches.add(found(method) + " (parameters do not match)");
            }
            else if (!returnTypeFits(protectedMethod, method, userClass)) {
                wrongReturnType = true;
                mismatches.add(found(method) + " (return type " + Signatures.type(method.getGenericReturnType())
                        + " is not assignable to " + Signatures.type(protectedMethod.getGenericReturnType()) + ")");
            }
            else {
                candidates.add(new Candidate(method, exceptionType, invoker(method, parameters.length)));
            }
        }
        if (candidates.isEmpty() || wrongReturnType) {
            String expected = expected(name, protectedMethod, userClass, adapter);
            if (mismatches.isEmpty()) {
                throw new FallbackMethodException("No fallback method '" + name + "' for " + protectedDescription
                        + ": expected " + expected);
            }
            throw new FallbackMethodException("Fallback method '" + name + "' for " + protectedDescription
                    + " does not match: expected " + expected + "; found " + String.join(", ", mismatches));
        }
        String description = "fallback method '" + name + "' for " + protectedDescription;
        return new FallbackMethod(description, List.copyOf(candidates));
    }

    /**
     * The methods named {@code name} that may be a fallback of a method of {@code userClass}: those declared on it
     * or a superclass (any visibility, bridge and synthetic methods left out), the class's own first. The fallback
     * is picked among them at start-up and invoked through a method handle, so these are also the methods a native
     * image must be able to invoke reflectively ({@link ResilienceBeanRegistrationAotProcessor}).
     */
    static List<Method> declaredNamed(Class<?> userClass, String name) {
        List<Method> named = new ArrayList<>();
        for (Class<?> type = userClass; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Method method : type.getDeclaredMethods()) {
                if (method.getName().equals(name) && !method.isBridge() && !method.isSynthetic()) {
                    named.add(method);
                }
            }
        }
        return named;
    }

    /** Runs the overload that accepts {@code failure}; without one, rethrows {@code failure} unchanged. */
    Object invoke(MethodInvocation invocation, Throwable failure) throws Throwable {
        Candidate candidate = byFailureClass.get(failure.getClass());
        if (candidate == NONE) {
            throw failure;
        }
        return (Object) candidate.invoker.invokeExact(invocation.getThis(), invocation.getArguments(), failure);
    }

    /**
     * The asynchronous form: the answer becomes a stage through the protected method's {@code adapter} (for a lazy
     * type, the fallback's publisher is subscribed within the same call); whatever the fallback throws, and a
     * {@code null} answer, become a failed stage.
     */
    CompletionStage<Object> invokeAsync(MethodInvocation invocation, Throwable failure, AsyncReturnType adapter) {
        Candidate candidate = byFailureClass.get(failure.getClass());
        if (candidate == NONE) {
            return CompletableFuture.failedFuture(failure);
        }
        return adapter.attempt(invocation, call -> {
            Object answer = (Object) candidate.invoker.invokeExact(call.getThis(), call.getArguments(), failure);
            if (answer == null) {
                throw new NullPointerException(nullAnswerSubject + " returned null instead of a " + adapter);
            }
            return answer;
        });
    }

    /** The most specific exception parameter that accepts the class; the variant without one comes last. */
    private Candidate select(Class<?> failureClass) {
        Candidate best = NONE;
        for (Candidate candidate : candidates) {
            if (candidate.exceptionType == null) {
                if (best == NONE) {
                    best = candidate;
                }
            }
            else if (candidate.exceptionType.isAssignableFrom(failureClass)
                    && (best == NONE || best.exceptionType == null
                            || best.exceptionType.isAssignableFrom(candidate.exceptionType))) {
                best = candidate;
            }
        }
        return best;
    }

    /** The type of a last extra {@code Throwable} parameter after the protected method's parameters, else null. */
    private static Class<? extends Throwable> exceptionParameter(Method method, Class<?>[] parameters) {
        Class<?>[] types = method.getParameterTypes();
        if (types.length != parameters.length + 1 || !Throwable.class.isAssignableFrom(types[parameters.length])
                || !Arrays.equals(types, 0, parameters.length, parameters, 0, parameters.length)) {
            return null;
        }
        return types[parameters.length].asSubclass(Throwable.class);
    }

    private static boolean returnTypeFits(Method protectedMethod, Method fallback, Class<?> userClass) {
        Class<?> expected = protectedMethod.getReturnType();
        Class<?> actual = fallback.getReturnType();
        if (expected == void.class || actual == void.class) {
            return expected == actual;
        }
        if (!ClassUtils.isAssignable(expected, actual)) {
            return false;
        }
        if (expected.isPrimitive() || actual.isPrimitive()) {
            return true;
        }
        return ResolvableType.forMethodReturnType(protectedMethod, userClass)
                .isAssignableFrom(ResolvableType.forMethodReturnType(fallback, userClass));
    }

    /** A handle of type (Object target, Object[] arguments, Throwable failure) Object, built once. */
    private static MethodHandle invoker(Method method, int argumentCount) {
        ReflectionUtils.makeAccessible(method);
        MethodHandle handle;
        try {
            handle = MethodHandles.lookup().unreflect(method);
        }
        catch (IllegalAccessException ex) {
            throw new FallbackMethodException("Cannot access fallback method " + method + ": " + ex.getMessage());
        }
        if (Modifier.isStatic(method.getModifiers())) {
            handle = MethodHandles.dropArguments(handle, 0, Object.class);
        }
        if (method.getParameterCount() == argumentCount) {
            handle = MethodHandles.dropArguments(handle, argumentCount + 1, Throwable.class);
        }
        handle = handle.asType(handle.type().generic());
        handle = handle.asSpreader(1, Object[].class, argumentCount);
        return handle.asType(INVOKER_TYPE);
    }

    private static String expected(String name, Method protectedMethod, Class<?> userClass,
            AsyncReturnType adapter) {
        String parameters = Signatures.parameters(protectedMethod.getParameterTypes());
        String withException = parameters.isEmpty() ? "<? extends Throwable>" : parameters + ", <? extends Throwable>";
        String returning;
        if (protectedMethod.getReturnType() == void.class) {
            returning = "returning void";
        }
        else {
            returning = "returning a type assignable to " + Signatures.type(protectedMethod.getGenericReturnType());
            if (CompletionStage.class.isAssignableFrom(protectedMethod.getReturnType())) {
                returning += " (an asynchronous method needs an asynchronous fallback)";
            }
            else if (adapter != null) {
                String type = protectedMethod.getReturnType().getSimpleName();
                returning += " (a method returning " + type + " needs a fallback returning " + type + ")";
            }
        }
        return "a method named " + name + " on " + userClass.getName() + " or a superclass, with parameters ("
                + parameters + ") or (" + withException + "), " + returning;
    }

    private static String found(Method method) {
        return Signatures.type(method.getGenericReturnType()) + " " + method.getName() + "("
                + Signatures.parameters(method.getParameterTypes()) + ") on " + method.getDeclaringClass().getName();
    }

    private record Candidate(Method method, Class<? extends Throwable> exceptionType, MethodHandle invoker) {
    }
}
