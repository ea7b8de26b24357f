package dev.resilience.core.bulkhead;

import dev.resilience.core.Call;

import java.util.concurrent.CompletableFuture;

/** Runs one synchronous call on a thread of its own, so that a test can watch it wait. */
final class CallerThread {

    final CompletableFuture<Object> outcome = new CompletableFuture<>();
    final Thread thread;
    private volatile boolean interruptedAtEnd;

    CallerThread(String name, Call<Object> call) {
        thread = new Thread(() -> {
            Object value = null;
            Throwable failure = null;
            try {
                value = call.invoke(null);
            } catch (Throwable t) {
                failure = t;
            }
            interruptedAtEnd = Thread.currentThread().isInterrupted();
            if (failure != null) {
                outcome.completeExceptionally(failure);
            } else {
                outcome.complete(value);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
    }

    boolean isWaiting() {
        Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING;
    }

    /** Whether the thread's interrupt flag was set when the call had returned; read after {@link #outcome}. */
    boolean wasInterruptedAtEnd() {
        return interruptedAtEnd;
    }
}
