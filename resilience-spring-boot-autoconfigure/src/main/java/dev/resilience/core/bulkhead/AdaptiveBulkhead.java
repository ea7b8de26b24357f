package dev.resilience.core.bulkhead;

import com.netflix.concurrency.limits.Limit;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Ticker;
import dev.resilience.core.TimeoutExceededException;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A bulkhead whose limit follows the latency of the calls it lets in: as a semaphore bulkhead it lets calls in
 * on the callers' own threads while fewer than the limit are in flight, and refuses a further call at once with a
 * {@link BulkheadFullException} (there is no wait: a queue in front of the limit would hide the very latency the
 * limit follows). The limit is moved by one of Netflix concurrency-limits' algorithms (Gradient2, Vegas, AIMD,
 * see {@link BulkheadConfig.LimitAlgorithm}), fed with each call's round-trip time measured on the injected
 * {@link Ticker}, and held between {@code min-limit} and {@code max-limit}.
 *
 * <p>What a call's end tells the algorithm, as Netflix's own servlet filter and gRPC interceptors do:
 * <ul>
 * <li>an answer (a value, or {@code null}): a sample of its round-trip time ({@code onSuccess});</li>
 * <li>a timeout: a sample flagged as a drop ({@code onDropped}), the overload signal: the call was given up before
 *     it answered (its future cancelled or abandoned from outside, by a {@code @Timeout} around it or by the caller),
 *     or it ended with a {@link TimeoutException}, a {@link TimeoutExceededException}, an
 *     {@link InterruptedIOException} (a socket read timeout), an {@link InterruptedException} or a
 *     {@link ClosedByInterruptException}, or on an interrupted thread (a synchronous timeout interrupts the caller);</li>
 * <li>any other failure: nothing ({@code onIgnore}): how long a failure took says nothing sure about the partner's
 *     queue (a refused connection fails fast, and would raise the limit), and a back-pressure rejection from a policy
 *     inside (a full bulkhead, a rate limiter) is our own, not the partner's; the circuit breaker is there for
 *     failures.</li>
 * </ul>
 *
 * <h2>State and concurrency</h2>
 * The calls in flight are one {@link AtomicInteger}, taken by a CAS loop against the current limit, the only point
 * where callers meet on the way in. The limit is the algorithm's ({@code volatile} in Netflix's {@code AbstractLimit});
 * a sample goes to the algorithm's {@code onSample}, which Netflix synchronizes: one short lock per finished call,
 * never held around a user's call. When the limit falls below the calls in flight, no call is let in until enough
 * have finished. Counts are {@link LongAdder}s. The synchronous path allocates nothing of its own (Netflix's Gradient2
 * boxes the round trip and its average in each sample: about 24 bytes a call); the asynchronous path one
 * CAS-guarded permit per call (as the semaphore bulkhead does), so that the stage completing and the caller's future
 * being completed from outside end the call once between them. Refusals reuse one exception without a stack trace.
 */
public final class AdaptiveBulkhead implements Bulkhead {

    private static final int SAMPLE = 0;
    private static final int DROP = 1;
    private static final int IGNORE = 2;

    private final String name;
    private final BulkheadConfig config;
    private final Ticker ticker;
    private final Limit limit;
    private final int minLimit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder permittedCalls = new LongAdder();
    private final LongAdder rejectedCalls = new LongAdder();
    private final LongAdder droppedCalls = new LongAdder();
    private final LongAdder ignoredCalls = new LongAdder();
    private final BulkheadListeners listeners;
    private final BulkheadFullException fullException;

    /**
     * @param ticker the time of the round trips the algorithm follows
     * @throws IllegalStateException when Netflix concurrency-limits is not on the class path
     */
    public AdaptiveBulkhead(String name, BulkheadConfig config, Ticker ticker) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (config.type() != BulkheadConfig.Type.ADAPTIVE) {
            throw new IllegalArgumentException("bulkhead '" + name + "' is of type " + config.type() + ", not ADAPTIVE");
        }
        if (!isAvailable(AdaptiveBulkhead.class.getClassLoader())) {
            throw new IllegalStateException("bulkhead '" + name + "' is adaptive, which needs "
                    + "com.netflix.concurrency-limits:concurrency-limits-core on the class path");
        }
        this.limit = NetflixLimits.create(config);
        this.minLimit = config.minLimit();
        this.listeners = new BulkheadListeners(this);
        this.fullException = new BulkheadFullException(name, "the calls in flight reached its adaptive limit");
    }

    /** Whether Netflix concurrency-limits, which an adaptive bulkhead needs, is on the class path of {@code loader}. */
    public static boolean isAvailable(ClassLoader loader) {
        return NetflixLimits.isPresent(loader);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public BulkheadConfig getConfig() {
        return config;
    }

    /** The current limit, between min-limit and max-limit. */
    public int getLimit() {
        return Math.max(minLimit, limit.getLimit());
    }

    /** The current limit: the calls allowed at once right now. */
    @Override
    public int getMaxConcurrentCalls() {
        return getLimit();
    }

    /** The calls inside now; above the limit for a while after the limit fell. */
    public int getInFlightCalls() {
        return inFlight.get();
    }

    @Override
    public int getAvailableConcurrentCalls() {
        return Math.max(0, getLimit() - inFlight.get());
    }

    @Override
    public BulkheadMetrics getMetrics() {
        return new BulkheadMetrics(permittedCalls.sum(), rejectedCalls.sum(), getAvailableConcurrentCalls(),
                getLimit());
    }

    /** The figures of {@link #getMetrics()} and those only an adaptive bulkhead has. */
    public AdaptiveBulkheadMetrics getAdaptiveMetrics() {
        int limitNow = getLimit();
        int inFlightNow = inFlight.get();
        return new AdaptiveBulkheadMetrics(permittedCalls.sum(), rejectedCalls.sum(), Math.max(0, limitNow - inFlightNow),
                limitNow, limitNow, inFlightNow, droppedCalls.sum(), ignoredCalls.sum());
    }

    @Override
    public void addListener(BulkheadListener listener) {
        listeners.add(listener);
    }

    /**
     * Lets a call in when fewer than the limit are in flight.
     *
     * @return the call's permit, which must be ended exactly once; {@code null} when the call is refused
     */
    public Permit tryAcquirePermission() {
        int inFlightAtStart = admit();
        return inFlightAtStart == 0 ? null : new Permit(ticker.nanoTime(), inFlightAtStart);
    }

    /**
     * Lets a call in when fewer than the limit are in flight.
     *
     * @return the call's permit, which must be ended exactly once
     * @throws BulkheadFullException when the calls in flight reached the limit
     */
    public Permit acquirePermission() {
        Permit permit = tryAcquirePermission();
        if (permit == null) {
            throw fullException;
        }
        return permit;
    }

    /** @return the calls in flight with this one, or 0 when it was refused */
    private int admit() {
        int limitNow = getLimit();
        for (;;) {
            int current = inFlight.get();
            if (current >= limitNow) {
                rejectedCalls.increment();
                listeners.rejected();
                return 0;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                permittedCalls.increment();
                try {
                    listeners.permitted();
                } catch (Error error) {
                    inFlight.decrementAndGet();
                    throw error;
                }
                return current + 1;
            }
        }
    }

    private void finish(long start, int inFlightAtStart, int outcome) {
        try {
            if (outcome == IGNORE) {
                ignoredCalls.increment();
            } else {
                if (outcome == DROP) {
                    droppedCalls.increment();
                }
                // Vegas refuses a zero round trip, which a coarse clock (or a manual one) can measure
                long rtt = Math.max(1, ticker.nanoTime() - start);
                limit.onSample(start, rtt, inFlightAtStart, outcome == DROP);
            }
        } finally {
            inFlight.decrementAndGet();
            listeners.finished();
        }
    }

    private static int outcomeOf(Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        return cause instanceof CancellationException || cause instanceof TimeoutException
                || cause instanceof TimeoutExceededException || cause instanceof InterruptedIOException
                || cause instanceof InterruptedException || cause instanceof ClosedByInterruptException
                ? DROP : IGNORE;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return new SyncCall<>(Objects.requireNonNull(next, "next"));
    }

    /**
     * {@inheritDoc}
     *
     * <p>The returned call never throws for a failure of {@code next}: a refusal, an exception thrown by
     * {@code next} and a {@code null} stage all become failed stages. Only an {@link Error} thrown synchronously
     * by {@code next} is rethrown unchanged, after the call gave its place back.
     */
    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return new AsyncAdaptiveCall<>(Objects.requireNonNull(next, "next"));
    }

    @Override
    public String toString() {
        return "AdaptiveBulkhead[" + name + ", " + config.limitAlgorithm() + ", " + inFlight.get() + " in flight, limit "
                + getLimit() + "]";
    }

    /**
     * The place of one call let in through {@link #tryAcquirePermission()}: end it exactly once, with what the call
     * told (later ends are ignored). Not for concurrent use.
     */
    public final class Permit {

        private final long start;
        private final int inFlightAtStart;
        private boolean ended;

        private Permit(long start, int inFlightAtStart) {
            this.start = start;
            this.inFlightAtStart = inFlightAtStart;
        }

        /** The call answered: its round-trip time is a sample for the algorithm. */
        public void onSuccess() {
            end(SAMPLE);
        }

        /** The call timed out or was given up: a sample flagged as a drop, which lowers the limit. */
        public void onDropped() {
            end(DROP);
        }

        /** The call ended in a way that says nothing about the partner's latency: no sample. */
        public void onIgnore() {
            end(IGNORE);
        }

        private void end(int outcome) {
            if (!ended) {
                ended = true;
                finish(start, inFlightAtStart, outcome);
            }
        }
    }

    private final class SyncCall<C> implements Call<C> {

        private final Call<C> next;

        SyncCall(Call<C> next) {
            this.next = next;
        }

        @Override
        public Object invoke(C context) throws Throwable {
            int inFlightAtStart = admit();
            if (inFlightAtStart == 0) {
                throw fullException;
            }
            long start = ticker.nanoTime();
            Object result;
            try {
                result = next.invoke(context);
            } catch (Error error) {
                finish(start, inFlightAtStart, IGNORE);
                throw error;
            } catch (Throwable failure) {
                finish(start, inFlightAtStart, Thread.currentThread().isInterrupted() ? DROP : outcomeOf(failure));
                throw failure;
            }
            finish(start, inFlightAtStart, Thread.currentThread().isInterrupted() ? DROP : SAMPLE);
            return result;
        }
    }

    private final class AsyncAdaptiveCall<C> implements AsyncCall<C> {

        private final AsyncCall<C> next;

        AsyncAdaptiveCall(AsyncCall<C> next) {
            this.next = next;
        }

        @Override
        public CompletionStage<Object> invoke(C context) {
            int inFlightAtStart = admit();
            if (inFlightAtStart == 0) {
                return CompletableFuture.failedFuture(fullException);
            }
            long start = ticker.nanoTime();
            CompletionStage<Object> stage;
            try {
                stage = next.invoke(context);
            } catch (Error error) {
                finish(start, inFlightAtStart, IGNORE);
                throw error;
            } catch (Throwable failure) {
                finish(start, inFlightAtStart, outcomeOf(failure));
                return CompletableFuture.failedFuture(failure);
            }
            if (stage instanceof CompletableFuture<Object> done && done.isDone()) {
                // answered at once (a cached or synchronous answer, Mono.just): the call ends now
                finish(start, inFlightAtStart, done.isCompletedExceptionally() ? outcomeOf(failureOf(done)) : SAMPLE);
                return done;
            }
            return new AsyncPermit(Failures.nonNullStage(stage, "bulkhead", name), start, inFlightAtStart).result;
        }

        private static Throwable failureOf(CompletableFuture<Object> done) {
            try {
                done.getNow(null);
                return null;
            } catch (CompletionException | CancellationException failure) {
                return failure;
            }
        }
    }

    /**
     * The place of one asynchronous call, given back once (the flag) by whichever comes first: the method's stage
     * completing (a sample, a drop or nothing, by its outcome), or the future handed to the caller being completed
     * from outside (cancelled, or abandoned by a timeout): a drop.
     */
    private final class AsyncPermit extends AtomicBoolean implements BiConsumer<Object, Throwable> {

        private static final long serialVersionUID = 1L;

        private final transient RelayFuture result;
        private final long start;
        private final int inFlightAtStart;

        AsyncPermit(CompletionStage<Object> source, long start, int inFlightAtStart) {
            this.start = start;
            this.inFlightAtStart = inFlightAtStart;
            this.result = new RelayFuture(source);
            result.whenComplete((value, failure) -> endOnce(DROP));
            source.whenComplete(this);
        }

        /** The method's stage completed: end the call before the caller's dependents run. */
        @Override
        public void accept(Object value, Throwable failure) {
            try {
                endOnce(failure == null ? SAMPLE : outcomeOf(failure));
            } finally {
                result.relay(value, failure);
            }
        }

        private void endOnce(int outcome) {
            if (compareAndSet(false, true)) {
                finish(start, inFlightAtStart, outcome);
            }
        }
    }
}
