package dev.resilience.aop;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.core.AsyncCall;

/**
 * The adapters for asynchronous return types, and the rule for the rest: a method whose return type no adapter
 * supports is synchronous, unless its type is asynchronous in a way we know (a {@code Future} that is no
 * {@code CompletableFuture}, a Reactive Streams or {@code java.util.concurrent.Flow} publisher, RxJava, Kotlin's
 * {@code Flow} or {@code Deferred}, a Kotlin {@code suspend} function): protecting such a method as synchronous would
 * time, count and retry only the creation of its result, so it fails the start instead. Reactor's {@code Mono} and
 * {@code Flux} are such publishers too, unless the auto-configuration added their adapters (it does when
 * reactor-core is on the class path); a {@code Publisher} of any other kind is refused even then.
 */
public final class AsyncReturnTypes {

    /** {@code CompletionStage} and {@code CompletableFuture}: the chain runs at once and the caller gets its future. */
    public static final AsyncReturnType COMPLETION_STAGE = new AsyncReturnType() {
        @Override
        public boolean supports(Class<?> returnType) {
            return returnType == CompletionStage.class || returnType == CompletableFuture.class;
        }

        @Override
        @SuppressWarnings("unchecked")
        public CompletionStage<Object> toStage(Object returned, MethodInvocation invocation) {
            return (CompletionStage<Object>) returned;
        }

        @Override
        public Object toReturnValue(AsyncCall<MethodInvocation> chain, MethodInvocation invocation) {
            return chain.invoke(invocation).toCompletableFuture();
        }

        @Override
        public String toString() {
            return "CompletionStage";
        }
    };

    private static final Set<String> ASYNCHRONOUS_TYPES = Set.of("java.util.concurrent.Future",
            "java.util.concurrent.Flow$Publisher", "org.reactivestreams.Publisher", "kotlinx.coroutines.flow.Flow",
            "kotlinx.coroutines.Deferred");
    private static final List<String> ASYNCHRONOUS_PACKAGES = List.of("io.reactivex.", "rx.");

    private final List<AsyncReturnType> adapters;

    private AsyncReturnTypes(List<AsyncReturnType> adapters) {
        this.adapters = List.copyOf(adapters);
    }

    /** The adapters every application has: {@link #COMPLETION_STAGE}. */
    public static AsyncReturnTypes standard() {
        return new AsyncReturnTypes(List.of(COMPLETION_STAGE));
    }

    /** These adapters and {@code adapter}, which is asked first. */
    public AsyncReturnTypes with(AsyncReturnType adapter) {
        List<AsyncReturnType> all = new ArrayList<>();
        all.add(Objects.requireNonNull(adapter, "adapter"));
        all.addAll(adapters);
        return new AsyncReturnTypes(all);
    }

    /**
     * The adapter for {@code method}'s return type, or {@code null} when the method is synchronous.
     *
     * @throws IllegalStateException when the return type is asynchronous and no adapter supports it
     */
    AsyncReturnType find(Method method) {
        Class<?> returnType = method.getReturnType();
        for (AsyncReturnType adapter : adapters) {
            if (adapter.supports(returnType)) {
                return adapter;
            }
        }
        Class<?>[] parameters = method.getParameterTypes();
        if (parameters.length > 0
                && parameters[parameters.length - 1].getName().equals("kotlin.coroutines.Continuation")) {
            throw new IllegalStateException("a Kotlin suspend function is not supported: declare a function that "
                    + "returns CompletableFuture");
        }
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            throw new IllegalStateException("the asynchronous return type " + returnType.getName()
                    + " is not supported: declare CompletionStage or CompletableFuture");
        }
        String asynchronous = asynchronousSupertype(returnType);
        if (asynchronous != null) {
            throw new IllegalStateException("the return type " + returnType.getName() + " is asynchronous ("
                    + asynchronous + ") and not supported: declare " + supportedTypes() + ", or it would be "
                    + "protected only while it is created, not while it runs");
        }
        return null;
    }

    /** The types a method may declare, for messages: "Mono, Flux, CompletionStage or CompletableFuture". */
    private String supportedTypes() {
        List<String> names = new ArrayList<>();
        for (AsyncReturnType adapter : adapters) {
            names.add(adapter == COMPLETION_STAGE ? "CompletionStage" : adapter.toString());
        }
        if (adapters.contains(COMPLETION_STAGE)) {
            names.add("CompletableFuture");
        }
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The name of the known asynchronous type {@code type} is or extends, or {@code null}. */
    private static String asynchronousSupertype(Class<?> type) {
        if (type == null || type.isPrimitive() || type == Object.class) {
            return null;
        }
        String name = type.getName();
        if (ASYNCHRONOUS_TYPES.contains(name) || ASYNCHRONOUS_PACKAGES.stream().anyMatch(name::startsWith)) {
            return name;
        }
        for (Class<?> implemented : type.getInterfaces()) {
            String found = asynchronousSupertype(implemented);
            if (found != null) {
                return found;
            }
        }
        return asynchronousSupertype(type.getSuperclass());
    }
}
