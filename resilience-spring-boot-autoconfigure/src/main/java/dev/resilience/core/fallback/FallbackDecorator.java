package dev.resilience.core.fallback;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.resilience.core.Failures;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.ExceptionClassifier;
import dev.resilience.core.RelayFuture;

/**
 * Wraps a chain so that a failure the classifier counts is answered by a fallback handler; every other
 * throwable propagates unchanged (the same instance). A {@link VirtualMachineError} always propagates: the
 * JVM is in no state to run a fallback.
 */
public final class FallbackDecorator {

    private FallbackDecorator() {
    }

    /**
     * @param next      the chain inside the fallback
     * @param appliesTo counts the throwables the fallback answers for (included = applyOn, ignored = skipOn)
     * @param handler   answers a counted failure; what it throws reaches the caller unchanged
     */
    public static <C> Call<C> decorate(Call<C> next, ExceptionClassifier appliesTo, FallbackHandler<C> handler) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(appliesTo, "appliesTo");
        Objects.requireNonNull(handler, "handler");
        return context -> {
            try {
                return next.invoke(context);
            }
            catch (Throwable failure) {
                if (failure instanceof VirtualMachineError || !appliesTo.counts(failure)) {
                    throw failure;
                }
                return handler.apply(context, failure);
            }
        };
    }

    /**
     * The asynchronous form: a {@link CompletionException} is unwrapped to its cause before it is classified and
     * handed to the handler; a handler that throws, or returns {@code null}, fails the returned stage. A failure the
     * handler does not answer fails the returned stage as itself (the same instance, unwrapped), so that the
     * stage's callbacks ({@code whenComplete}, {@code exceptionally}) see it exactly as without a fallback.
     * Cancelling the returned stage cancels the chain's stage (or the fallback's, once it answers), and a
     * cancelled call is never answered by the fallback.
     */
    public static <C> AsyncCall<C> decorateAsync(AsyncCall<C> next, ExceptionClassifier appliesTo,
            AsyncFallbackHandler<C> handler) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(appliesTo, "appliesTo");
        Objects.requireNonNull(handler, "handler");
        return context -> {
            CompletionStage<Object> stage = next.invoke(context);
            if (stage instanceof CompletableFuture<Object> done && done.isDone() && !done.isCompletedExceptionally()) {
                // succeeded at once: no fallback can be needed, the stage goes out as it is
                return done;
            }
            RelayFuture result = new RelayFuture(stage);
            stage.whenComplete((value, thrown) -> {
                if (result.isDone()) {
                    return;
                }
                if (thrown == null) {
                    result.complete(value);
                    return;
                }
                Throwable failure = Failures.unwrap(thrown);
                if (failure instanceof VirtualMachineError || !appliesTo.counts(failure)) {
                    result.completeExceptionally(failure);
                    return;
                }
                CompletionStage<Object> answer;
                try {
                    answer = applyHandler(handler, context, failure);
                }
                catch (VirtualMachineError error) {
                    result.completeExceptionally(error);
                    throw error;
                }
                result.watch(answer);
                answer.whenComplete((fallbackValue, fallbackFailure) -> result.relay(fallbackValue,
                        fallbackFailure == null ? null : Failures.unwrap(fallbackFailure)));
            });
            return result;
        };
    }

    private static <C> CompletionStage<Object> applyHandler(AsyncFallbackHandler<C> handler, C context,
            Throwable failure) {
        CompletionStage<Object> answer;
        try {
            answer = handler.apply(context, failure);
        }
        catch (VirtualMachineError error) {
            throw error;
        }
        catch (Throwable handlerFailure) {
            return CompletableFuture.failedFuture(handlerFailure);
        }
        return Failures.nonNullStage(answer, "The fallback handler");
    }
}
