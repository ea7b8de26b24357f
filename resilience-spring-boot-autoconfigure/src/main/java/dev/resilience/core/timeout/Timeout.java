package dev.resilience.core.timeout;

import dev.resilience.core.Failures;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.ListenerList;
import dev.resilience.core.Policy;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TimeoutExceededException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Bounds how long one attempt may take to {@link TimeoutConfig#timeoutDuration()}.
 *
 * <h2>Synchronous calls</h2>
 * The next step runs on the caller's own thread, so that thread-locals and transactions keep working, and
 * the thread is interrupted if the call still runs at the deadline; no thread is started per call. The
 * deadline is watched by the {@link DeadlineWatchdog} when this timeout has one, which schedules no task per
 * call (its checks, planned at the earliest deadline of all the calls it watches, interrupt the threads whose
 * deadline has passed); otherwise, and for a timed call nested in another one on the same thread, by a
 * {@link DeadlineTask} of the call's own. Once the deadline has passed, the call ends with
 * {@link TimeoutExceededException} even if the step swallows the interrupt and returns late (the late value
 * is discarded) or throws something else; only an {@link Error} is never masked and propagates unchanged.
 * <p>
 * The interrupt never leaks out of the call: both watchers race the caller once for the call's state, so
 * the timer cannot interrupt once the caller has finished, and when the timer won, the caller waits for the
 * interrupt to be delivered and then clears the flag. A flag that was already set when the call began is
 * left set. (An interrupt from somebody else that arrives during a call that also times out cannot be
 * told apart from the timer's and is cleared with it.)
 *
 * <h2>Asynchronous calls</h2>
 * The returned future mirrors the step's stage, unless the deadline comes first: then it completes
 * exceptionally with {@link TimeoutExceededException} and, when
 * {@link TimeoutConfig#cancelRunningFuture()} is set, the step's own future
 * ({@code toCompletableFuture()}) is cancelled. When it is not set, the method's future is left to run,
 * but what the policies inside the timeout hold for the call is given back at the deadline (a bulkhead's
 * permit above all, see {@link RelayFuture#abandon}), so that a future that never completes cannot keep
 * a permit forever. The outcome is counted (and the running future cancelled) before the returned future
 * completes, so the caller's dependents already see both. The deadline task is cancelled as soon as the
 * step's stage completes, or the caller cancels the returned future (which cancels the step's stage and
 * counts neither way). A step that throws synchronously or returns {@code null} fails the call.
 *
 * <h2>State and concurrency</h2>
 * This class decides outcomes and counts them; it holds no lock and no per-call state of its own. The
 * counts are {@link LongAdder}s and the listeners a copy-on-add array. Each call's race between the caller
 * (or the step's stage) and the deadline lives in one place, decided once by CAS: the watchdog's reused slot
 * or a {@link DeadlineTask} for a synchronous call, an {@code AsyncExecution} (one flag) for an
 * asynchronous one.
 */
public final class Timeout implements Policy {

    private static final ListenerList.Notice<TimeoutListener, Timeout> SUCCESS =
            (listener, timeout, unused, none) -> listener.onSuccess(timeout);
    private static final ListenerList.Notice<TimeoutListener, Timeout> FAILURE =
            (listener, timeout, unused, error) -> listener.onFailure(timeout, (Throwable) error);
    private static final ListenerList.Notice<TimeoutListener, Timeout> TIMED_OUT =
            (listener, timeout, unused, none) -> listener.onTimeout(timeout);

    private final String name;
    private final TimeoutConfig config;
    private final Scheduler scheduler;
    /** Null when every synchronous call schedules its own deadline task. */
    private final DeadlineWatchdog watchdog;
    private final Duration timeout;
    private final long timeoutNanos;

    private final LongAdder successful = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder timedOut = new LongAdder();

    private final ListenerList<TimeoutListener, Timeout> listeners;

    /**
     * A timeout that schedules one deadline task per synchronous call.
     *
     * @param scheduler runs the deadlines; its tasks interrupt callers or complete futures, nothing more
     */
    public Timeout(String name, TimeoutConfig config, Scheduler scheduler) {
        this(name, config, scheduler, null);
    }

    /**
     * A timeout whose synchronous calls are watched by {@code watchdog}, which schedules nothing per call;
     * a timed call nested in another one on the same thread, and every asynchronous call, still get a
     * deadline task of their own on {@code scheduler}.
     *
     * @param scheduler runs the deadlines of asynchronous and nested calls
     * @param watchdog  watches synchronous calls and may be shared by any number of timeouts; {@code null}
     *                  schedules a deadline task per synchronous call, as the three-argument constructor does
     */
    public Timeout(String name, TimeoutConfig config, Scheduler scheduler, DeadlineWatchdog watchdog) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.watchdog = watchdog;
        this.timeout = config.timeoutDuration();
        this.timeoutNanos = Durations.saturatedNanos(timeout);
        this.listeners = new ListenerList<>(this, "timeout '" + name + "'");
    }

    @Override
    public String getName() {
        return name;
    }

    public TimeoutConfig getConfig() {
        return config;
    }

    /** How the calls so far ended. */
    public TimeoutMetrics getMetrics() {
        return new TimeoutMetrics(successful.sum(), failed.sum(), timedOut.sum());
    }

    public void addListener(TimeoutListener listener) {
        listeners.add(listener);
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> execute(next, context);
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> executeAsync(next, context);
    }

    private <C> Object execute(Call<C> next, C context) throws Throwable {
        boolean interruptedOnEntry = Thread.currentThread().isInterrupted();
        DeadlineWatchdog.Slot slot = (watchdog != null) ? watchdog.enter(timeoutNanos, interruptedOnEntry) : null;
        DeadlineTask deadline = (slot == null) ? DeadlineTask.start(scheduler, timeoutNanos) : null;
        Object result = null;
        Throwable failure = null;
        try {
            result = next.invoke(context);
        } catch (Throwable thrown) {
            // every throwable is rethrown below; an Error unchanged even after the deadline
            failure = thrown;
        }
        boolean inTime = (slot != null) ? watchdog.exit(slot) : deadline.exit();
        if (inTime) {
            if (failure != null) {
                onFailure(failure);
                throw failure;
            }
            onSuccess();
            return result;
        }
        if (!interruptedOnEntry) {
            Thread.interrupted();
        }
        if (failure instanceof Error) {
            onFailure(failure);
            throw failure;
        }
        onTimeout();
        throw new TimeoutExceededException(name, timeout);
    }

    private <C> CompletionStage<Object> executeAsync(AsyncCall<C> next, C context) {
        CompletionStage<Object> stage;
        try {
            stage = next.invoke(context);
        } catch (Throwable thrown) {
            // the next step broke its contract by throwing: its failure is the call's outcome
            stage = CompletableFuture.failedFuture(thrown);
        }
        stage = Failures.nonNullStage(stage, "timeout", name);
        if (stage instanceof CompletableFuture<Object> done && done.isDone() && !done.isCompletedExceptionally()) {
            // answered before any deadline could pass: nothing to watch
            onSuccess();
            return done;
        }
        AsyncExecution execution = new AsyncExecution(stage);
        try {
            execution.deadline = scheduler.schedule(execution, timeoutNanos);
        } catch (RuntimeException rejected) {
            execution.abandon(rejected);
            return execution.result;
        }
        stage.whenComplete(execution);
        return execution.result;
    }

    private void onSuccess() {
        successful.increment();
        listeners.notify(SUCCESS, 0, null);
    }

    private void onFailure(Throwable error) {
        failed.increment();
        listeners.notify(FAILURE, 0, error);
    }

    private void onTimeout() {
        timedOut.increment();
        listeners.notify(TIMED_OUT, 0, null);
    }

    /**
     * The deadline of one asynchronous call and the mirror of the step's stage into the returned future.
     * The deadline and the stage race once, by CAS on this flag; the winner records the outcome (and, for
     * the deadline, cancels the running future) before it completes the caller's future, so that whoever
     * reacts to the outcome already finds the metrics counted and the running future cancelled.
     */
    private final class AsyncExecution extends AtomicBoolean implements Runnable, BiConsumer<Object, Throwable> {

        private static final long serialVersionUID = 1L;

        private final transient CompletionStage<Object> stage;
        private final transient RelayFuture result;
        /** Set before the step's completion handler is registered, hence visible to it. */
        private transient Scheduler.Scheduled deadline;

        AsyncExecution(CompletionStage<Object> stage) {
            this.stage = stage;
            this.result = new RelayFuture(stage);
        }

        /** The deadline passed. A future the caller already completed (cancelled, say) is left alone. */
        @Override
        public void run() {
            if (!result.isDone() && compareAndSet(false, true)) {
                onTimeout();
                TimeoutExceededException expired = new TimeoutExceededException(name, timeout);
                if (config.cancelRunningFuture()) {
                    cancelStage();
                } else if (stage instanceof RelayFuture inside) {
                    inside.abandon(expired);
                }
                result.completeExceptionally(expired);
            }
        }

        /** The step's stage completed. */
        @Override
        public void accept(Object value, Throwable failure) {
            if (!compareAndSet(false, true)) {
                return;
            }
            deadline.cancel();
            if (result.isCancelled()) {
                // the caller cancelled the call: it neither succeeded nor failed in time
                return;
            }
            if (failure == null) {
                onSuccess();
                result.complete(value);
                return;
            }
            Throwable error = Failures.unwrap(failure);
            onFailure(error);
            result.completeExceptionally(error);
        }

        /** No deadline could be scheduled (the scheduler is shut down): the call fails rather than run unbounded. */
        void abandon(RuntimeException rejected) {
            if (compareAndSet(false, true)) {
                onFailure(rejected);
                if (config.cancelRunningFuture()) {
                    cancelStage();
                }
                result.completeExceptionally(rejected);
            }
        }

        private void cancelStage() {
            RelayFuture.cancelStage(stage);
        }
    }
}
