package dev.resilience.core.bulkhead;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;

import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A bulkhead that runs asynchronous methods on a bounded thread pool of its own: at most
 * {@code max-thread-pool-size} threads ({@code core-thread-pool-size} kept alive, the others ending
 * after {@code keep-alive-duration} idle), and {@code queue-capacity} calls waiting for a thread (none
 * when it is 0). A call that finds the pool and its queue full is rejected at once with a future failed
 * by a {@link BulkheadFullException}; it never waits. The threads are daemons named
 * {@code resilience-bulkhead-<name>-N}.
 *
 * <p>Only methods that return a {@code CompletionStage} or {@code CompletableFuture} can be protected:
 * the caller gets a future at once that mirrors the stage the method returns on the pool thread.
 * {@link #decorate(Call)} therefore fails, so that a synchronous method annotated with a thread-pool
 * bulkhead fails the application start. Cancelling the returned future before the call started means
 * the method is never invoked; afterwards the cancellation is passed on to the method's stage
 * ({@link RelayFuture}).
 *
 * <h2>Context propagation</h2>
 * The method runs on a pool thread, not the caller's, so nothing the caller keeps in thread-locals
 * follows it: not the security context, not the logging MDC, not a transaction or request scope.
 * Either pass what the method needs as its arguments, or construct the bulkhead with a
 * {@code contextPropagator} (like Spring's {@code TaskDecorator}): it is applied on the caller's thread
 * to each task before the task is handed to the pool, so it can capture the caller's context there and
 * return a task that installs it on the pool thread, runs the original task and clears it again:
 * <pre>{@code
 * UnaryOperator<Runnable> mdc = task -> {
 *     Map<String, String> context = MDC.getCopyOfContextMap();
 *     return () -> {
 *         MDC.setContextMap(context);
 *         try { task.run(); } finally { MDC.clear(); }
 *     };
 * };
 * }</pre>
 * A transaction cannot be carried over this way: the method runs outside the caller's transaction.
 *
 * <p>{@link #getAvailableConcurrentCalls()} counts the pool's threads not running a call right now;
 * queued calls are already counted as permitted.
 *
 * <h2>State and concurrency</h2>
 * The pool is the bulkhead: a {@link ThreadPoolExecutor} whose abort policy refuses a task when every thread
 * is busy and the queue is full, so a call is permitted exactly when the pool takes its task, there is no
 * permit to give back and no lock of this class's own. The running calls are one {@link AtomicInteger}, the
 * counts {@link LongAdder}s. Each call allocates one {@code PoolTask}, whose {@link RelayFuture} is the
 * caller's future: completed from outside before the task starts, it keeps the method from being invoked.
 */
public final class ThreadPoolBulkhead implements Bulkhead {

    private final String name;
    private final BulkheadConfig config;
    private final UnaryOperator<Runnable> contextPropagator;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger runningCalls = new AtomicInteger();
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final BulkheadListeners listeners;
    private final BulkheadFullException fullException;
    private final BulkheadFullException closedException;

    public ThreadPoolBulkhead(String name, BulkheadConfig config) {
        this(name, config, UnaryOperator.identity());
    }

    /**
     * @param contextPropagator applied on the caller's thread to each task before it is handed to the
     *                          pool; the task it returns runs on the pool thread (see the class comment)
     */
    public ThreadPoolBulkhead(String name, BulkheadConfig config, UnaryOperator<Runnable> contextPropagator) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.contextPropagator = Objects.requireNonNull(contextPropagator, "contextPropagator");
        this.listeners = new BulkheadListeners(this);
        BlockingQueue<Runnable> queue = config.queueCapacity() == 0
                ? new SynchronousQueue<>()
                : new ArrayBlockingQueue<>(config.queueCapacity());
        this.executor = new ThreadPoolExecutor(config.coreThreadPoolSize(), config.maxThreadPoolSize(),
                Durations.saturatedNanos(config.keepAliveDuration()), TimeUnit.NANOSECONDS, queue,
                threadFactory("resilience-bulkhead-" + name + "-"), new ThreadPoolExecutor.AbortPolicy());
        this.fullException = new BulkheadFullException(name, "all " + config.maxThreadPoolSize()
                + " threads are busy and the queue of " + config.queueCapacity() + " is full");
        this.closedException = new BulkheadFullException(name, "the thread pool is shut down");
    }

    private static ThreadFactory threadFactory(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public BulkheadConfig getConfig() {
        return config;
    }

    /** The max-thread-pool-size. */
    @Override
    public int getMaxConcurrentCalls() {
        return config.maxThreadPoolSize();
    }

    @Override
    public int getAvailableConcurrentCalls() {
        return Math.max(0, config.maxThreadPoolSize() - runningCalls.get());
    }

    @Override
    public BulkheadMetrics getMetrics() {
        return new BulkheadMetrics(permittedCalls.sum(), rejectedCalls.sum(), getAvailableConcurrentCalls(),
                getMaxConcurrentCalls());
    }

    @Override
    public void addListener(BulkheadListener listener) {
        listeners.add(listener);
    }

    /**
     * Shuts the pool down: calls already running or queued still complete, later calls are rejected,
     * and the threads end once idle.
     */
    @Override
    public void close() {
        executor.shutdown();
    }

    /**
     * Always fails: a thread-pool bulkhead can only hand a call to another thread when the method
     * returns a stage the caller can wait on.
     *
     * @throws IllegalStateException naming this bulkhead
     */
    @Override
    public <C> Call<C> decorate(Call<C> next) {
        throw new IllegalStateException("Bulkhead '" + name + "' is a thread-pool bulkhead and can only protect"
                + " methods returning CompletionStage or CompletableFuture; use a semaphore bulkhead"
                + " (type: semaphore) for a synchronous method");
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return new PooledCall<>(Objects.requireNonNull(next, "next"));
    }

    @Override
    public String toString() {
        return "ThreadPoolBulkhead[" + name + ", " + getAvailableConcurrentCalls() + "/" + getMaxConcurrentCalls()
                + " threads available]";
    }

    private final class PooledCall<C> implements AsyncCall<C> {

        private final AsyncCall<C> next;

        PooledCall(AsyncCall<C> next) {
            this.next = next;
        }

        @Override
        public CompletionStage<Object> invoke(C context) {
            PoolTask<C> task = new PoolTask<>(next, context);
            Runnable submitted;
            try {
                submitted = Objects.requireNonNull(contextPropagator.apply(task),
                        "the context propagator returned null");
            } catch (RuntimeException propagatorFailed) {
                return CompletableFuture.failedFuture(propagatorFailed);
            }
            try {
                executor.execute(submitted);
            } catch (RejectedExecutionException full) {
                rejectedCalls.increment();
                listeners.rejected();
                return CompletableFuture.failedFuture(executor.isShutdown() ? closedException : fullException);
            }
            permittedCalls.increment();
            listeners.permitted();
            return task.result;
        }
    }

    /** One call: invokes the method on a pool thread and mirrors its stage into the caller's future. */
    private final class PoolTask<C> implements Runnable, BiConsumer<Object, Throwable> {

        private final AsyncCall<C> next;
        private final C context;
        private final RelayFuture result = new RelayFuture();

        PoolTask(AsyncCall<C> next, C context) {
            this.next = next;
            this.context = context;
        }

        @Override
        public void run() {
            if (result.isDone()) {
                // cancelled while it waited in the queue: the method is not invoked at all
                listeners.finished();
                return;
            }
            runningCalls.incrementAndGet();
            CompletionStage<Object> returned;
            try {
                returned = next.invoke(context);
            } catch (Throwable failure) {
                callEnded();
                result.completeExceptionally(failure);
                if (failure instanceof Error error) {
                    // the caller sees it through its future; the pool thread ends as with any uncaught Error
                    throw error;
                }
                return;
            }
            callEnded();
            returned = Failures.nonNullStage(returned, "bulkhead", name);
            result.watch(returned);
            returned.whenComplete(this);
        }

        private void callEnded() {
            runningCalls.decrementAndGet();
            listeners.finished();
        }

        /** The method's stage completed. */
        @Override
        public void accept(Object value, Throwable failure) {
            result.relay(value, failure);
        }
    }
}
