package dev.resilience.core.fallback;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.ExceptionClassifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the returned stage's own callbacks receive: the failure itself, never a {@link CompletionException} around it,
 * as every other policy of the chain hands it on and as the caller would see it without a fallback.
 */
class FallbackDecoratorRawFailureTest {

    private static final ExceptionClassifier IO_BUT_NOT_FILE_NOT_FOUND =
            new ExceptionClassifier(List.of(IOException.class), List.of(FileNotFoundException.class));

    private static Throwable rawFailure(CompletionStage<Object> stage) {
        return stage.toCompletableFuture().handle((value, failure) -> failure).join();
    }

    private static CompletionStage<Object> answer(String context, Throwable failure) {
        return CompletableFuture.completedFuture("fallback");
    }

    @Test
    void aFailureTheFallbackDoesNotAnswerReachesTheCallbacksAsItself() {
        IllegalStateException failure = new IllegalStateException("boom");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(context -> CompletableFuture.failedFuture(failure),
                IO_BUT_NOT_FILE_NOT_FOUND, FallbackDecoratorRawFailureTest::answer);

        assertThat(rawFailure(call.invoke("ctx"))).isSameAs(failure);
    }

    @Test
    void aSkippedFailureThatTheInnerStageWrappedIsUnwrapped() {
        FileNotFoundException skipped = new FileNotFoundException("skipped");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(skipped).thenApply(value -> value),
                IO_BUT_NOT_FILE_NOT_FOUND, FallbackDecoratorRawFailureTest::answer);

        assertThat(rawFailure(call.invoke("ctx"))).isSameAs(skipped);
    }

    @Test
    void theFallbacksOwnFailureReachesTheCallbacksAsItself() {
        IOException second = new IOException("second");
        AsyncCall<String> failedStage = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException("first")), IO_BUT_NOT_FILE_NOT_FOUND,
                (context, failure) -> CompletableFuture.failedFuture(second).thenApply(value -> value));
        IllegalArgumentException thrown = new IllegalArgumentException("fallback failed");
        AsyncCall<String> throwing = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException("first")), IO_BUT_NOT_FILE_NOT_FOUND,
                (context, failure) -> {
                    throw thrown;
                });

        assertThat(rawFailure(failedStage.invoke("ctx"))).isSameAs(second);
        assertThat(rawFailure(throwing.invoke("ctx"))).isSameAs(thrown);
    }

    @Test
    void anAnsweredFailureStillGivesTheFallbacksValue() {
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException("down")), IO_BUT_NOT_FILE_NOT_FOUND,
                FallbackDecoratorRawFailureTest::answer);

        assertThat(call.invoke("ctx").toCompletableFuture()).isCompletedWithValue("fallback");
    }
}
