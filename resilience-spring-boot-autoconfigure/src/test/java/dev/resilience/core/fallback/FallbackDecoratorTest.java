package dev.resilience.core.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.ExceptionClassifier;

class FallbackDecoratorTest {

    private static final ExceptionClassifier ALL = new ExceptionClassifier(List.of(Throwable.class), List.of());

    private static final ExceptionClassifier IO_BUT_NOT_FILE_NOT_FOUND =
            new ExceptionClassifier(List.of(IOException.class), List.of(FileNotFoundException.class));

    private final AtomicReference<Throwable> handed = new AtomicReference<>();

    @Test
    void successPassesThroughWithoutTheHandler() throws Throwable {
        Call<String> call = FallbackDecorator.decorate(context -> context + "!", ALL, this::recordingHandler);

        assertThat(call.invoke("ok")).isEqualTo("ok!");
        assertThat(handed.get()).isNull();
    }

    @Test
    void countedFailureIsAnsweredByTheHandlerWithTheSameThrowable() throws Throwable {
        IOException failure = new IOException("down");
        Call<String> call = FallbackDecorator.decorate(failing(failure), ALL, this::recordingHandler);

        assertThat(call.invoke("ctx")).isEqualTo("fallback for ctx");
        assertThat(handed.get()).isSameAs(failure);
    }

    @Test
    void failureOutsideApplyOnPropagatesUnchanged() {
        IllegalStateException failure = new IllegalStateException("boom");
        Call<String> call = FallbackDecorator.decorate(failing(failure), IO_BUT_NOT_FILE_NOT_FOUND,
                this::recordingHandler);

        assertThatThrownBy(() -> call.invoke("ctx")).isSameAs(failure);
        assertThat(handed.get()).isNull();
    }

    @Test
    void skipOnWinsOverApplyOn() throws Throwable {
        FileNotFoundException skipped = new FileNotFoundException("skipped");
        Call<String> skippedCall = FallbackDecorator.decorate(failing(skipped), IO_BUT_NOT_FILE_NOT_FOUND,
                this::recordingHandler);
        Call<String> appliedCall = FallbackDecorator.decorate(failing(new IOException("applied")),
                IO_BUT_NOT_FILE_NOT_FOUND, this::recordingHandler);

        assertThatThrownBy(() -> skippedCall.invoke("ctx")).isSameAs(skipped);
        assertThat(appliedCall.invoke("ctx")).isEqualTo("fallback for ctx");
    }

    @Test
    void handlerFailureReachesTheCallerUnchanged() {
        IOException handlerFailure = new IOException("fallback failed too");
        Call<String> call = FallbackDecorator.decorate(failing(new IllegalStateException()), ALL,
                (context, failure) -> {
                    throw handlerFailure;
                });

        assertThatThrownBy(() -> call.invoke("ctx")).isSameAs(handlerFailure);
    }

    @Test
    void virtualMachineErrorNeverReachesTheHandler() {
        StackOverflowError error = new StackOverflowError();
        Call<String> call = FallbackDecorator.decorate(failing(error), ALL, this::recordingHandler);

        assertThatThrownBy(() -> call.invoke("ctx")).isSameAs(error);
        assertThat(handed.get()).isNull();
    }

    @Test
    void otherErrorsFollowApplyOn() throws Throwable {
        AssertionError error = new AssertionError("not a VM error");
        Call<String> call = FallbackDecorator.decorate(failing(error), ALL, this::recordingHandler);

        assertThat(call.invoke("ctx")).isEqualTo("fallback for ctx");
        assertThat(handed.get()).isSameAs(error);
    }

    @Test
    void asyncSuccessPassesThrough() {
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.completedFuture(context + "!"), ALL, this::recordingAsyncHandler);

        assertThat(call.invoke("ok").toCompletableFuture()).isCompletedWithValue("ok!");
        assertThat(handed.get()).isNull();
    }

    @Test
    void asyncFailureIsUnwrappedFromCompletionExceptionBeforeClassifyingAndHandling() {
        IOException failure = new IOException("down");
        // a dependent stage fails with a CompletionException that wraps the real cause
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(failure).thenApply(value -> value),
                IO_BUT_NOT_FILE_NOT_FOUND, this::recordingAsyncHandler);

        assertThat(call.invoke("ctx").toCompletableFuture()).isCompletedWithValue("fallback for ctx");
        assertThat(handed.get()).isSameAs(failure);
    }

    @Test
    void asyncFailureOutsideApplyOnPropagatesUnchanged() {
        IllegalStateException failure = new IllegalStateException("boom");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(context -> CompletableFuture.failedFuture(failure),
                IO_BUT_NOT_FILE_NOT_FOUND, this::recordingAsyncHandler);

        CompletableFuture<Object> result = call.invoke("ctx").toCompletableFuture();

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
        assertThat(handed.get()).isNull();
    }

    @Test
    void asyncSkipOnWins() {
        FileNotFoundException skipped = new FileNotFoundException("skipped");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new CompletionException(skipped)),
                IO_BUT_NOT_FILE_NOT_FOUND, this::recordingAsyncHandler);

        CompletableFuture<Object> result = call.invoke("ctx").toCompletableFuture();

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(skipped);
        assertThat(handed.get()).isNull();
    }

    @Test
    void asyncHandlerThatThrowsFailsTheStageWithItsException() {
        IllegalArgumentException handlerFailure = new IllegalArgumentException("fallback failed");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException()), ALL, (context, failure) -> {
                    throw handlerFailure;
                });

        CompletableFuture<Object> result = call.invoke("ctx").toCompletableFuture();

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(handlerFailure);
    }

    @Test
    void asyncHandlerStageIsTheOutcome() {
        IOException second = new IOException("second");
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException("first")), ALL,
                (context, failure) -> CompletableFuture.failedFuture(second));

        CompletableFuture<Object> result = call.invoke("ctx").toCompletableFuture();

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(second);
    }

    @Test
    void asyncHandlerReturningNullFailsTheStage() {
        AsyncCall<String> call = FallbackDecorator.decorateAsync(
                context -> CompletableFuture.failedFuture(new IOException()), ALL, (context, failure) -> null);

        CompletableFuture<Object> result = call.invoke("ctx").toCompletableFuture();

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NullPointerException.class).hasMessageContaining("returned null");
    }

    private Object recordingHandler(String context, Throwable failure) {
        handed.set(failure);
        return "fallback for " + context;
    }

    private CompletionStage<Object> recordingAsyncHandler(String context, Throwable failure) {
        handed.set(failure);
        return CompletableFuture.completedFuture("fallback for " + context);
    }

    private static Call<String> failing(Throwable failure) {
        return context -> {
            throw failure;
        };
    }
}
