package dev.resilience.aop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;

/**
 * Maps one family of asynchronous return types onto the one asynchronous path of the policies
 * ({@link CompletionStage}): the policies implement their logic once for synchronous calls and once for stages, and
 * an adapter per return type (registered in {@link AsyncReturnTypes}) runs the chain for each call, turns what the
 * method returns into the stage of one attempt, and turns the chain's outcome back into what the caller expects.
 * Adapters are asked once per method when its chain is built; the rest runs per call and must not block.
 *
 * <p>An adapter of an eager type ({@code CompletionStage}) runs the chain once, when the method is called, with the
 * proxy's invocation. An adapter of a lazy type (Reactor's {@code Mono} and {@code Flux}) hands the caller a value
 * that runs the chain once per subscription, each time with a {@link DeferredInvocation} of its own that delegates to
 * the proxy's invocation: the interceptor then proceeds the method afresh for every attempt, and the adapter finds
 * the subscription's state again in {@link #attempt} and {@link #toStage}, which receive that invocation.
 */
public interface AsyncReturnType {

    /** Whether a method declaring {@code returnType} is protected through this adapter. */
    boolean supports(Class<?> returnType);

    /**
     * Runs the chain for one call (now, or for a lazy type once per subscription) and answers what the caller of the
     * method gets, a value of the method's declared return type.
     *
     * @param invocation the proxy's invocation of the method
     */
    Object toReturnValue(AsyncCall<MethodInvocation> chain, MethodInvocation invocation);

    /**
     * The stage of one attempt of a call, or of the answer of its fallback method: {@code method} runs the method (or
     * the fallback method) once and answers what it returned, never {@code null}, or throws what it threw. The
     * default runs it and hands its result to {@link #toStage}; an adapter overrides it to set something up around
     * both (the caller's thread-locals, say). Never throws but a {@link VirtualMachineError}: a failure is a failed
     * stage.
     *
     * @param invocation the invocation the chain runs with: the proxy's, or the adapter's own
     *                   {@link DeferredInvocation}
     */
    default CompletionStage<Object> attempt(MethodInvocation invocation, Call<MethodInvocation> method) {
        Object returned;
        try {
            returned = method.invoke(invocation);
        }
        catch (VirtualMachineError error) {
            throw error;
        }
        catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
        return toStage(returned, invocation);
    }

    /**
     * The stage that {@code returned} (what the method or its fallback method returned, never {@code null}) stands
     * for, in the call the chain runs {@code invocation} for.
     */
    CompletionStage<Object> toStage(Object returned, MethodInvocation invocation);
}
