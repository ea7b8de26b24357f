package dev.resilience.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The future a policy hands to its caller in place of the stage it got from the next step: it relays
 * that stage's outcome outward ({@link #relay}) and a cancellation inward. Cancelling it cancels the
 * stage it currently watches, so that cancelling the caller's future reaches the method's own future
 * through every policy of the chain, whatever each one holds in between.
 *
 * <p>{@link #abandon} is the gentler signal of a timeout that must not cancel the method's work: it
 * completes this future and every relay future inside it (so that each policy gives back what it holds
 * for the call, a bulkhead permit above all) and leaves the method's own future alone.
 *
 * <p>The watched stage changes over a call (a retry watches each attempt in turn, a fallback its
 * answer), so it is a volatile field: a cancellation that races with {@link #watch} is passed on by
 * whichever of the two sees the other.
 */
public final class RelayFuture extends CompletableFuture<Object> {

    private volatile CompletionStage<?> watched;

    /** A relay future that watches nothing yet. */
    public RelayFuture() {
    }

    /** A relay future that watches {@code stage}. */
    public RelayFuture(CompletionStage<?> stage) {
        this.watched = stage;
    }

    /** Watches {@code stage} from now on; cancels it at once when this future was already cancelled. */
    public void watch(CompletionStage<?> stage) {
        watched = stage;
        if (isCancelled()) {
            cancelStage(stage);
        }
    }

    /** Completes this future as the watched stage completed: the same value, or the same throwable. */
    public void relay(Object value, Throwable failure) {
        if (failure == null) {
            complete(value);
        } else {
            completeExceptionally(failure);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        CompletionStage<?> stage = watched;
        if (cancelled && stage != null) {
            cancelStage(stage);
        }
        return cancelled;
    }

    /**
     * Completes this future exceptionally with {@code reason}, and every relay future it watches in turn,
     * without cancelling the stage a policy did not create (the method's own future).
     */
    public void abandon(Throwable reason) {
        if (completeExceptionally(reason) && watched instanceof RelayFuture inner) {
            inner.abandon(reason);
        }
    }

    /** Cancels {@code stage} when it has a future view; a stage without one cannot be cancelled. */
    public static void cancelStage(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // the caller's future is done already; the stage runs to its end
        }
    }
}
