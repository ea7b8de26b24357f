package dev.resilience.core.circuitbreaker;

import dev.resilience.core.Durations;
import dev.resilience.core.Failures;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ListenerList;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * A circuit breaker whose state lives in this process.
 *
 * <p>How its state works: each state is an object of its own (a {@link StateHolder} with its own window of outcomes
 * and its own count of refused calls) held in an {@link AtomicReference}; a transition swaps in a fresh one, so every
 * state starts with an empty window. No lock is ever held around a user's call: the window counts with atomics of
 * its own ({@link SlidingWindow}), permits in HALF_OPEN are an atomic counter, and transitions are serialised by a
 * short lock that covers only the swap and queues the transition; listeners then hear of transitions once each and in
 * order through the {@link TransitionQueue}, outside the lock.
 *
 * <p>Through {@link #decorate}/{@link #decorateAsync} a call's outcome is recorded in the state that permitted it, so
 * that a call permitted while CLOSED and ending after the breaker moved on cannot be taken for a HALF_OPEN trial. The
 * manual API ({@link #tryAcquirePermission()}, {@link #onSuccess}, {@link #onError}) records into the state current
 * when the outcome is reported.
 *
 * <p>A breaker shared by a fleet ({@link SharedCircuitBreaker}) is this breaker with a {@link Coordination}: it hears,
 * under the transition lock, of each transition this breaker makes, applies the fleet's states through
 * {@link #applyFromFleet}, and hands HALF_OPEN its trial permits. CLOSED never asks it anything.
 */
public final class LocalCircuitBreaker implements CircuitBreaker {

    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> SUCCESS =
            (listener, breaker, durationNanos, unused) -> listener.onSuccess(breaker, durationNanos);
    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> ERROR =
            (listener, breaker, durationNanos, error) -> listener.onError(breaker, durationNanos, (Throwable) error);
    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> IGNORED_ERROR =
            (listener, breaker, durationNanos, error) -> listener.onIgnoredError(breaker, durationNanos, (Throwable) error);
    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> NOT_PERMITTED =
            (listener, breaker, unused, none) -> listener.onCallNotPermitted(breaker);
    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> RESET =
            (listener, breaker, unused, none) -> listener.onReset(breaker);
    private static final ListenerList.Notice<CircuitBreakerListener, CircuitBreaker> TRANSITION =
            (listener, breaker, unused, event) -> listener.onStateTransition(breaker, ((Event) event).from,
                    ((Event) event).to);

    private static final int PERMITTED = 0;
    private static final int REJECTED = 1;
    private static final int STATE_CHANGED = 2;

    /** How a transition this breaker makes came about: by its calls or timer, by hand, or by a reset. */
    private static final int AUTOMATIC = 0;
    private static final int BY_HAND = 1;
    private static final int BY_RESET = 2;

    private static final int FAILURE = 0;
    private static final int IGNORED = 1;
    private static final int AS_SUCCESS = 2;

    private final String name;
    private final CircuitBreakerConfig config;
    private final Ticker ticker;
    private final Scheduler scheduler;
    /** How a failure of this class counts: {@link #FAILURE}, {@link #IGNORED} or {@link #AS_SUCCESS}. */
    private final ClassValue<Integer> outcomes = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return outcomeOf(type);
        }
    };
    private final long slowCallDurationNanos;
    private final long waitDurationNanos;
    private final CircuitBreakerOpenException[] rejections;

    private final AtomicReference<StateHolder> currentState;
    private final Object transitionLock = new Object();
    private final TransitionQueue<Event> transitions = new TransitionQueue<>(this::deliver);
    private final ListenerList<CircuitBreakerListener, CircuitBreaker> listeners;
    /** {@code null} for a breaker of this process alone. */
    private final Coordination coordination;

    /**
     * @param name      the instance name, used in exceptions and logs
     * @param config    the settings
     * @param ticker    the time source for durations, the open-state wait and a time-based window
     * @param scheduler runs the automatic OPEN to HALF_OPEN transition, when enabled
     */
    public LocalCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, Scheduler scheduler) {
        this(name, config, ticker, scheduler, null, null);
    }

    /**
     * A breaker coordinated with a fleet: {@code owner} is the breaker its listeners are told about.
     */
    LocalCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, Scheduler scheduler,
            Coordination coordination, CircuitBreaker owner) {
        this.coordination = coordination;
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.slowCallDurationNanos = Durations.saturatedNanos(config.slowCallDurationThreshold());
        this.waitDurationNanos = Durations.saturatedNanos(config.waitDurationInOpenState());
        // refusals are control flow and carry no stack trace, so one immutable instance per state serves all
        this.rejections = new CircuitBreakerOpenException[State.values().length];
        for (State each : State.values()) {
            rejections[each.ordinal()] = new CircuitBreakerOpenException(name, each.name());
        }
        this.listeners = new ListenerList<>(owner == null ? this : owner, "circuit breaker '" + name + "'");
        this.currentState = new AtomicReference<>(new Closed());
    }

    @Override
    public String getName() {
        return name;
    }

    public CircuitBreakerConfig getConfig() {
        return config;
    }

    public State getState() {
        return currentState.get().state;
    }

    /** What the current state's window holds now. */
    public CircuitBreakerMetrics getMetrics() {
        return currentState.get().metrics();
    }

    @Override
    public Optional<Duration> getRemainingOpenDuration() {
        return currentState.get() instanceof Open open ? Optional.of(open.remaining()) : Optional.empty();
    }

    public void addListener(CircuitBreakerListener listener) {
        listeners.add(listener);
    }

    // ---------------------------------------------------------------- permissions and outcomes

    /**
     * Asks to run one call. A {@code true} answer must be followed by exactly one of {@link #onSuccess},
     * {@link #onError} or {@link #releasePermission()}; a {@code false} answer counts a refused call.
     */
    public boolean tryAcquirePermission() {
        return acquire(false) != null;
    }

    /** Like {@link #tryAcquirePermission()}, but throws when the call is refused. */
    public void acquirePermission() {
        acquire(true);
    }

    /** Gives back a permission whose call never ran: in HALF_OPEN its trial slot becomes free again. */
    public void releasePermission() {
        currentState.get().release();
    }

    /** Records a permitted call that succeeded after {@code durationNanos}. */
    public void onSuccess(long durationNanos) {
        recordSuccess(currentState.get(), durationNanos);
    }

    /**
     * Records a permitted call that failed after {@code durationNanos}, as Resilience4j does: an exception that
     * {@code ignore-exceptions} lists, and a full bulkhead inside the breaker (unless {@code record-exceptions} lists it
     * by name), count neither as failure nor as success and give their permission back; when
     * {@code record-exceptions} is set, an exception that is an instance of none of them counts as a success. A
     * {@link CompletionException} or {@link ExecutionException} is judged by its cause.
     */
    public void onError(long durationNanos, Throwable error) {
        Objects.requireNonNull(error, "error");
        recordError(currentState.get(), durationNanos, error);
    }

    private StateHolder acquire(boolean throwWhenRefused) {
        while (true) {
            StateHolder current = currentState.get();
            int decision = current.tryAcquire();
            if (decision == PERMITTED) {
                return current;
            }
            if (decision == REJECTED) {
                current.notPermittedCalls.increment();
                notifyCallNotPermitted();
                if (throwWhenRefused) {
                    throw rejections[current.state.ordinal()];
                }
                return null;
            }
        }
    }

    private void recordSuccess(StateHolder holder, long durationNanos) {
        if (holder.state == State.DISABLED) {
            return;
        }
        // listeners hear of the call before the state change it may cause, so that they report in causal order
        try {
            listeners.notify(SUCCESS, durationNanos, null);
        } finally {
            // slow only when longer than the threshold, as in Resilience4j
            holder.record(false, durationNanos > slowCallDurationNanos);
        }
    }

    private void recordError(StateHolder holder, long durationNanos, Throwable error) {
        if (holder.state == State.DISABLED) {
            return;
        }
        Throwable judged = (error instanceof CompletionException || error instanceof ExecutionException)
                && error.getCause() != null ? error.getCause() : error;
        int outcome = outcomes.get(judged.getClass());
        if (outcome == AS_SUCCESS) {
            recordSuccess(holder, durationNanos);
            return;
        }
        if (outcome == IGNORED) {
            holder.release();
            listeners.notify(IGNORED_ERROR, durationNanos, error);
            return;
        }
        try {
            listeners.notify(ERROR, durationNanos, error);
        } finally {
            holder.record(true, durationNanos > slowCallDurationNanos);
        }
    }

    /**
     * Ignored: an instance of an {@code ignore-exceptions} class (these win), or a full bulkhead that
     * {@code record-exceptions} does not name; a failure: every other one when {@code record-exceptions} is not set,
     * or an instance of one of them; otherwise a success.
     */
    private int outcomeOf(Class<?> type) {
        for (Class<? extends Throwable> ignored : config.ignoreExceptions()) {
            if (ignored.isAssignableFrom(type)) {
                return IGNORED;
            }
        }
        if (Failures.isUnlistedBackPressure(type, config.recordExceptions())) {
            return IGNORED;
        }
        for (Class<? extends Throwable> recorded : config.recordExceptions()) {
            if (recorded.isAssignableFrom(type)) {
                return FAILURE;
            }
        }
        return config.recordExceptions().isEmpty() ? FAILURE : AS_SUCCESS;
    }

    private void notifyCallNotPermitted() {
        listeners.notify(NOT_PERMITTED, 0, null);
    }

    // ---------------------------------------------------------------- decoration

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> {
            StateHolder holder = acquire(true);
            long start = ticker.nanoTime();
            Object result;
            try {
                result = next.invoke(context);
            } catch (Throwable error) {
                // recorded as a failure (or ignored), then rethrown unchanged, Errors included
                recordError(holder, ticker.nanoTime() - start, error);
                throw error;
            }
            recordSuccess(holder, ticker.nanoTime() - start);
            return result;
        };
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> {
            StateHolder holder;
            try {
                holder = acquire(true);
            } catch (CircuitBreakerOpenException refused) {
                return CompletableFuture.failedFuture(refused);
            }
            long start = ticker.nanoTime();
            CompletionStage<Object> stage;
            try {
                stage = next.invoke(context);
            } catch (RuntimeException | Error error) {
                // an AsyncCall should never throw; if it does, it is a failed call all the same
                recordError(holder, ticker.nanoTime() - start, error);
                if (error instanceof Error) {
                    throw error;
                }
                return CompletableFuture.failedFuture(error);
            }
            if (stage instanceof CompletableFuture<Object> done && done.isDone() && !done.isCompletedExceptionally()) {
                // already succeeded (a cached or synchronous answer): record it now, and hand the stage on as it is
                recordSuccess(holder, ticker.nanoTime() - start);
                return done;
            }
            RelayFuture result = new RelayFuture(stage);
            stage.whenComplete(new AsyncOutcome(holder, start, result));
            return result;
        };
    }

    /**
     * Records the outcome of an async call, then completes the caller's future exactly as the inner
     * stage completed (the same value, the same throwable), so the caller sees the original exception.
     * A call whose caller cancelled it gives its permission back and counts neither way: the partner
     * did not fail, the caller stopped waiting.
     */
    private final class AsyncOutcome implements BiConsumer<Object, Throwable> {

        private final StateHolder holder;
        private final long start;
        private final RelayFuture result;

        AsyncOutcome(StateHolder holder, long start, RelayFuture result) {
            this.holder = holder;
            this.start = start;
            this.result = result;
        }

        @Override
        public void accept(Object value, Throwable error) {
            if (result.isCancelled()) {
                holder.release();
                return;
            }
            long duration = ticker.nanoTime() - start;
            try {
                if (error == null) {
                    recordSuccess(holder, duration);
                } else {
                    recordError(holder, duration, Failures.unwrap(error));
                }
            } finally {
                result.relay(value, error);
            }
        }
    }

    // ---------------------------------------------------------------- transitions

    /**
     * Moves to {@code target} from whatever state the breaker is in, with an empty window. Asking for
     * the current state restarts it (the window is cleared, an OPEN wait starts over) and is reported
     * as a transition from that state to itself.
     */
    public void transitionTo(State target) {
        Objects.requireNonNull(target, "target");
        swap(null, target, BY_HAND);
    }

    /** Back to CLOSED with an empty window; listeners hear of the transition (if any) and of the reset. */
    public void reset() {
        swap(null, State.CLOSED, BY_RESET);
    }

    /**
     * Replaces {@code expected} (or, when {@code null}, whatever is current) with a fresh holder for
     * {@code target}. Returns {@code false} when {@code expected} is no longer current: someone else
     * already moved the breaker on, so each automatic transition happens once.
     */
    private boolean swap(StateHolder expected, State target, int cause) {
        StateHolder next;
        Runnable afterwards = null;
        synchronized (transitionLock) {
            StateHolder current = currentState.get();
            if (expected != null && current != expected) {
                return false;
            }
            next = newHolder(target, current, waitDurationNanos);
            currentState.set(next);
            current.exit();
            boolean reset = cause == BY_RESET;
            if (!reset || current.state != target) {
                transitions.add(new Event(current.state, target));
            }
            if (reset) {
                transitions.add(Event.RESET);
            }
            if (coordination != null) {
                afterwards = coordination.transitioned(current.state, target, cause != AUTOMATIC, waitDurationNanos);
            }
        }
        next.enter();
        transitions.drain();
        if (afterwards != null) {
            afterwards.run();
        }
        return true;
    }

    /**
     * Applies a state the fleet decided, without telling the coordination (so it is never published back).
     * {@code stillNewer} is asked under the transition lock whether the state still applies, and records it when it
     * does. {@code restart} is a state set by hand: it replaces the current one even when it is the same. Otherwise a
     * state this breaker is in already stays as it is, except that an OPEN takes the fleet's end of the wait (without
     * a transition being reported).
     *
     * @param openWaitNanos for OPEN, what is left of the wait
     */
    void applyFromFleet(State target, long openWaitNanos, boolean restart, BooleanSupplier stillNewer) {
        StateHolder next;
        synchronized (transitionLock) {
            if (!stillNewer.getAsBoolean()) {
                return;
            }
            StateHolder current = currentState.get();
            boolean same = current.state == target && !restart;
            if (same && target != State.OPEN) {
                return;
            }
            next = newHolder(target, current, Math.max(0, openWaitNanos));
            currentState.set(next);
            current.exit();
            if (!same) {
                transitions.add(new Event(current.state, target));
            }
        }
        next.enter();
        transitions.drain();
    }

    private StateHolder newHolder(State target, StateHolder current, long openWaitNanos) {
        return switch (target) {
            case CLOSED -> new Closed();
            case OPEN -> new Open(current.window(), current.notPermittedCalls, openWaitNanos);
            case HALF_OPEN -> new HalfOpen();
            case FORCED_OPEN -> new Fixed(State.FORCED_OPEN, REJECTED);
            case DISABLED -> new Fixed(State.DISABLED, PERMITTED);
        };
    }

    private void deliver(Event event) {
        listeners.notify(event == Event.RESET ? RESET : TRANSITION, 0, event);
    }

    private record Event(State from, State to) {
        static final Event RESET = new Event(null, null);
    }

    @Override
    public String toString() {
        return "LocalCircuitBreaker[name=" + name + ", state=" + getState() + "]";
    }

    // ---------------------------------------------------------------- states

    /** One state, entered once and never re-entered: a transition always creates a new holder. */
    private abstract class StateHolder {

        final State state;
        final LongAdder notPermittedCalls;

        StateHolder(State state) {
            this(state, new LongAdder());
        }

        StateHolder(State state, LongAdder notPermittedCalls) {
            this.state = state;
            this.notPermittedCalls = notPermittedCalls;
        }

        /** The window of outcomes this state decides from (or, OPEN, shows); {@code null} when it keeps none. */
        SlidingWindow window() {
            return null;
        }

        /** {@link #PERMITTED}, {@link #REJECTED} or {@link #STATE_CHANGED} (ask the new state). */
        abstract int tryAcquire();

        void release() {
        }

        void record(boolean failed, boolean slow) {
        }

        CircuitBreakerMetrics metrics() {
            return CircuitBreakerMetrics.empty(notPermittedCalls.sum());
        }

        /** Called once this holder is current (outside the transition lock). */
        void enter() {
        }

        /** Called, under the transition lock, when this holder stops being current. */
        void exit() {
        }
    }

    private final class Closed extends StateHolder {

        private final SlidingWindow window = SlidingWindow.of(config, ticker);

        Closed() {
            super(State.CLOSED);
        }

        @Override
        int tryAcquire() {
            return PERMITTED;
        }

        @Override
        void record(boolean failed, boolean slow) {
            if (window.record(failed, slow) == SlidingWindow.ABOVE_THRESHOLDS) {
                swap(this, State.OPEN, AUTOMATIC);
            }
        }

        @Override
        SlidingWindow window() {
            return window;
        }

        @Override
        CircuitBreakerMetrics metrics() {
            return window.snapshot(notPermittedCalls.sum());
        }
    }

    /**
     * OPEN keeps, as Resilience4j does, the window of the state it replaced (none after FORCED_OPEN or DISABLED) and
     * that state's count of refused calls: it shows their figures, counts its own refusals on, and records (without
     * deciding anything) the outcome of a call that was permitted before it opened.
     */
    private final class Open extends StateHolder {

        private final long openedAt = ticker.nanoTime();
        private final long waitNanos;
        private final SlidingWindow window;
        private volatile Scheduler.Scheduled timer;

        Open(SlidingWindow window, LongAdder notPermittedCalls, long waitNanos) {
            super(State.OPEN, notPermittedCalls);
            this.window = window;
            this.waitNanos = waitNanos;
        }

        @Override
        void record(boolean failed, boolean slow) {
            if (window != null) {
                window.record(failed, slow);
            }
        }

        @Override
        SlidingWindow window() {
            return window;
        }

        @Override
        CircuitBreakerMetrics metrics() {
            return window == null ? super.metrics() : window.snapshot(notPermittedCalls.sum());
        }

        @Override
        int tryAcquire() {
            // the wait is over once it has fully passed: a call at its very end is still refused, as in Resilience4j
            if (ticker.nanoTime() - openedAt > waitNanos) {
                swap(this, State.HALF_OPEN, AUTOMATIC);
                return STATE_CHANGED;
            }
            return REJECTED;
        }

        /** What is left of the wait, zero once it has run out. */
        Duration remaining() {
            long left = waitNanos - (ticker.nanoTime() - openedAt);
            return Duration.ofNanos(Math.max(0, left));
        }

        @Override
        void enter() {
            if (!config.automaticTransitionFromOpenToHalfOpenEnabled()) {
                return;
            }
            Scheduler.Scheduled scheduled = scheduler.schedule(() -> swap(this, State.HALF_OPEN, AUTOMATIC), waitNanos);
            timer = scheduled;
            // exit() may have run before the timer was visible to it
            if (currentState.get() != this) {
                scheduled.cancel();
            }
        }

        @Override
        void exit() {
            Scheduler.Scheduled scheduled = timer;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }
    }

    /**
     * HALF_OPEN. Coordinated with a fleet, it starts without trial permits: a call that finds none is refused and tells
     * the coordination, which {@linkplain Trial#grant grants} the permits the fleet leases to this instance (or this
     * breaker's own, when the fleet does not answer).
     */
    private final class HalfOpen extends StateHolder implements Trial {

        private final int permitted = config.permittedNumberOfCallsInHalfOpenState();
        private final AtomicInteger freeSlots = new AtomicInteger(coordination == null ? permitted : 0);
        // decides, as Resilience4j does, once min(minimum-number-of-calls, permitted) trial calls are recorded
        private final SlidingWindow window = new SlidingWindow.CountBased(permitted,
                Math.min(config.minimumNumberOfCalls(), permitted), config);

        HalfOpen() {
            super(State.HALF_OPEN);
        }

        @Override
        int tryAcquire() {
            boolean asked = false;
            while (true) {
                int free = freeSlots.get();
                if (free <= 0) {
                    if (coordination == null || asked) {
                        return REJECTED;
                    }
                    // a fleet that answers at once (or a fallback to local permits) may have granted some already
                    coordination.trialPermitMissing(this);
                    asked = true;
                    continue;
                }
                if (freeSlots.compareAndSet(free, free - 1)) {
                    return PERMITTED;
                }
            }
        }

        @Override
        void release() {
            // unbounded, as in Resilience4j: through the manual API, which records in the current state, a permission
            // given back here for a call permitted before HALF_OPEN frees one more trial slot
            freeSlots.incrementAndGet();
        }

        @Override
        void record(boolean failed, boolean slow) {
            int verdict = window.record(failed, slow);
            if (verdict != SlidingWindow.NOT_ENOUGH_CALLS) {
                swap(this, verdict == SlidingWindow.ABOVE_THRESHOLDS ? State.OPEN : State.CLOSED, AUTOMATIC);
            }
        }

        @Override
        public int permitted() {
            return permitted;
        }

        @Override
        public boolean grant(int permits) {
            if (currentState.get() != this) {
                return false;
            }
            freeSlots.addAndGet(permits);
            return true;
        }

        @Override
        public void revoke() {
            freeSlots.set(0);
        }

        @Override
        SlidingWindow window() {
            return window;
        }

        @Override
        CircuitBreakerMetrics metrics() {
            return window.snapshot(notPermittedCalls.sum());
        }
    }

    /** FORCED_OPEN and DISABLED: one fixed answer until changed by hand. */
    private final class Fixed extends StateHolder {

        private final int decision;

        Fixed(State state, int decision) {
            super(state);
            this.decision = decision;
        }

        @Override
        int tryAcquire() {
            return decision;
        }
    }

    // ---------------------------------------------------------------- coordination with a fleet

    /** What a breaker shared by a fleet adds to this one; see {@link SharedCircuitBreaker}. */
    interface Coordination {

        /**
         * Called under the transition lock, so in the order of the transitions, for each one this breaker makes by
         * its calls, its timer or by hand (never for a state applied {@linkplain #applyFromFleet from the fleet}); it
         * must be quick and must not call back into the breaker. Returns what to run once the lock is released.
         *
         * @param openWaitNanos for OPEN, the wait it starts
         */
        Runnable transitioned(State from, State to, boolean byHand, long openWaitNanos);

        /** HALF_OPEN: a call found no free trial permit and was refused; {@code trial} takes what the fleet grants. */
        void trialPermitMissing(Trial trial);
    }

    /** One HALF_OPEN state's trial permits, as the coordination hands them out. */
    interface Trial {

        /** {@code permitted-number-of-calls-in-half-open-state}. */
        int permitted();

        /** Adds trial permits if this HALF_OPEN state is still current; returns whether it was. */
        boolean grant(int permits);

        /** Takes back the permits not used yet. */
        void revoke();
    }
}
