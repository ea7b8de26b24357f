package dev.resilience.integration;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.autoconfigure.ResilienceAutoConfiguration;

import static org.awaitility.Awaitility.await;

/** The pieces every end-to-end test shares: the context runner, the two call modes and their outcomes. */
final class Support {

    /** How long a test waits for an outcome at most: a bound against hanging, never an expectation. */
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private Support() {
    }

    /** The auto-configuration alone, with the real registries, scheduler and post-processor. */
    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));
    }

    /** Whether a test drives the synchronous or the asynchronous twin of an annotated method. */
    enum Mode {
        SYNC, ASYNC;

        /** Calls the twin of this mode and waits for its outcome. */
        Outcome call(Callable<String> sync, Supplier<? extends CompletionStage<String>> async) {
            return this == SYNC ? Outcome.ofSync(sync) : Outcome.ofAsync(async.get());
        }

        /**
         * Starts a call that stays inside the method (a {@link Probe.Step#HANG}): sync on a thread of its own,
         * awaited until it is inside; async on the test's thread, whose future stays pending.
         */
        Held hold(Probe probe, Callable<String> sync, Supplier<? extends CompletionStage<String>> async) {
            int before = probe.calls.get();
            if (this == ASYNC) {
                CompletableFuture<String> result = async.get().toCompletableFuture();
                return new Held(result, null);
            }
            ExecutorService thread = Executors.newSingleThreadExecutor(task -> {
                Thread holder = new Thread(task, "holder");
                holder.setDaemon(true);
                return holder;
            });
            Future<String> result = thread.submit(sync);
            await().atMost(PATIENCE).until(() -> probe.calls.get() > before || result.isDone());
            return new Held(result, thread);
        }
    }

    /** A call kept inside its method by the test. */
    record Held(Future<String> result, ExecutorService thread) {

        /** Lets the method return (sync) or completes its pending future (async), and waits for the call's end. */
        Outcome release(Probe probe, String value) {
            if (thread == null) {
                probe.pending.forEach(future -> future.complete(value));
            }
            else {
                probe.release();
            }
            try {
                return Outcome.ofFuture(result);
            }
            finally {
                if (thread != null) {
                    thread.shutdownNow();
                }
            }
        }
    }

    /**
     * How one call ended: with a value or with a throwable. For an asynchronous call, {@code failure} is the cause
     * that {@code get()} reports and {@code raw} what the future's own callbacks ({@code whenComplete},
     * {@code exceptionally}) receive, which a {@link CompletionException} wrapper would differ from; for a
     * synchronous call both are the thrown exception.
     */
    record Outcome(String value, Throwable failure, Throwable raw) {

        static Outcome ofSync(Callable<String> call) {
            try {
                return new Outcome(call.call(), null, null);
            }
            catch (Exception ex) {
                return new Outcome(null, ex, ex);
            }
        }

        /** The call itself must not throw: an asynchronous method reports every failure through its future. */
        static Outcome ofAsync(CompletionStage<String> stage) {
            CompletableFuture<Throwable> raw = stage.toCompletableFuture().handle((value, failure) -> failure);
            Outcome outcome = ofFuture(stage.toCompletableFuture());
            return new Outcome(outcome.value, outcome.failure, raw.join());
        }

        static Outcome ofFuture(Future<String> future) {
            try {
                return new Outcome(future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), null, null);
            }
            catch (ExecutionException ex) {
                return new Outcome(null, ex.getCause(), ex.getCause());
            }
            catch (Exception ex) {
                throw new AssertionError("The call did not end", ex);
            }
        }
    }
}
