package dev.resilience.integration;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the annotated test methods do and what happened to them: each call takes the next planned {@link Step}
 * (or the standing one), and the probe records the calls, the exceptions the method raised, the threads it ran
 * on, whether the thread arrived interrupted, how many calls were inside at once, and what the fallbacks got.
 */
final class Probe {

    /** What one call of the method does. */
    enum Step {
        /** Returns its label at once. */
        SUCCEED,
        /** Throws (sync) or fails its future with (async) a fresh {@link Boom}. */
        FAIL,
        /** Throws a fresh {@link Boom}, also when asynchronous (instead of returning a failed future). */
        THROW,
        /** Throws (sync) or fails its future with (async) a fresh {@link IllegalArgumentException}. */
        REFUSE,
        /**
         * Sync: waits, interruptibly, until {@link #release()}; when interrupted, restores the interrupt flag (as
         * polite code does) and throws. Async: returns a future that only the test completes.
         */
        HANG,
        /**
         * Async: blocks the thread that runs the method until {@link #release()}, then returns a completed future
         * (a method that does its work before it returns). Sync: like {@link #HANG}.
         */
        BLOCK,
        /** Sync: like {@link #HANG}, but swallows the interrupt (clearing its flag) and returns late. Async: {@link #HANG}. */
        SWALLOW
    }

    /** The method's own exception. */
    static final class Boom extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Boom(int call) {
            super("boom " + call);
        }
    }

    /** What a {@link Step#HANG} method throws when it was interrupted. */
    static final class Interrupted extends RuntimeException {

        private static final long serialVersionUID = 1L;

        Interrupted(InterruptedException cause) {
            super("interrupted while waiting", cause);
        }
    }

    private final Deque<Step> plan = new ArrayDeque<>();
    private volatile Step otherwise = Step.SUCCEED;
    private final CountDownLatch released = new CountDownLatch(1);

    final AtomicInteger calls = new AtomicInteger();
    final List<RuntimeException> thrown = new CopyOnWriteArrayList<>();
    final List<Boolean> interruptedOnEntry = new CopyOnWriteArrayList<>();
    final List<Thread> threads = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<String>> pending = new CopyOnWriteArrayList<>();
    final List<Throwable> fallbackGot = new CopyOnWriteArrayList<>();
    final AtomicInteger inside = new AtomicInteger();
    final AtomicInteger maxInside = new AtomicInteger();

    /** The steps of the next calls, in order; afterwards every call takes the standing step. */
    synchronized Probe plan(Step... steps) {
        plan.addAll(List.of(steps));
        return this;
    }

    /** The step of every call once the plan is used up. */
    Probe otherwise(Step step) {
        otherwise = step;
        return this;
    }

    /** Lets every waiting (and every future) {@link Step#HANG}, {@link Step#BLOCK} or {@link Step#SWALLOW} call go on. */
    void release() {
        released.countDown();
    }

    RuntimeException lastThrown() {
        return thrown.get(thrown.size() - 1);
    }

    /** The body of a synchronous test method. */
    String sync(String label) {
        int call = enter();
        try {
            return switch (next()) {
                case SUCCEED -> label;
                case FAIL, THROW -> throw boom(call);
                case REFUSE -> throw refusal(call);
                case HANG, BLOCK -> awaitPolitely(label);
                case SWALLOW -> awaitSwallowing(label);
            };
        }
        finally {
            inside.decrementAndGet();
        }
    }

    /** The body of an asynchronous test method; the call counts as inside until its future completes. */
    CompletableFuture<String> async(String label) {
        int call = enter();
        CompletableFuture<String> result;
        try {
            result = switch (next()) {
                case SUCCEED -> CompletableFuture.completedFuture(label);
                case FAIL -> CompletableFuture.failedFuture(boom(call));
                case THROW -> throw boom(call);
                case REFUSE -> CompletableFuture.failedFuture(refusal(call));
                case BLOCK -> CompletableFuture.completedFuture(awaitPolitely(label));
                case HANG, SWALLOW -> {
                    CompletableFuture<String> future = new CompletableFuture<>();
                    pending.add(future);
                    yield future;
                }
            };
        }
        catch (RuntimeException ex) {
            inside.decrementAndGet();
            throw ex;
        }
        result.whenComplete((value, failure) -> inside.decrementAndGet());
        return result;
    }

    /** The body of a synchronous fallback. */
    String fallback(String label, Throwable failure) {
        fallbackGot.add(failure);
        return "fallback " + label + ": " + failure.getClass().getSimpleName();
    }

    /** The body of an asynchronous fallback. */
    CompletableFuture<String> fallbackAsync(String label, Throwable failure) {
        return CompletableFuture.completedFuture(fallback(label, failure));
    }

    private int enter() {
        interruptedOnEntry.add(Thread.currentThread().isInterrupted());
        threads.add(Thread.currentThread());
        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
        return calls.incrementAndGet();
    }

    private synchronized Step next() {
        Step step = plan.poll();
        return step != null ? step : otherwise;
    }

    private Boom boom(int call) {
        Boom boom = new Boom(call);
        thrown.add(boom);
        return boom;
    }

    private IllegalArgumentException refusal(int call) {
        IllegalArgumentException refusal = new IllegalArgumentException("refused " + call);
        thrown.add(refusal);
        return refusal;
    }

    /** Waits; when interrupted, restores the interrupt flag, as polite code does, and throws. */
    private String awaitPolitely(String label) {
        try {
            await();
            return label + " late";
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new Interrupted(ex);
        }
    }

    /** Waits; when interrupted, swallows the interrupt (its flag cleared) and returns late all the same. */
    private String awaitSwallowing(String label) {
        try {
            await();
        }
        catch (InterruptedException swallowed) {
            // deliberately ignored: the method under a timeout that does not cooperate
        }
        return label + " late";
    }

    /** Bounded, so that a deadline that never fires fails the test instead of hanging it. */
    private void await() throws InterruptedException {
        released.await(30, TimeUnit.SECONDS);
    }
}
