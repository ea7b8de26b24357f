package dev.resilience.aop.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Subscriber;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;

/**
 * One subscription to a protected {@code Flux}. The elements of each attempt (and of a fallback's {@code Flux}) go
 * to the subscriber as they come, within its demand; the terminal signal comes from the chain's stage, once the
 * policies are done with the last attempt.
 *
 * <h2>Attempts and demand</h2>
 * Only the current attempt delivers: the one whose subscription to the method's publisher came last. Elements of an
 * attempt that is over (it failed, timed out, was given up) or was superseded are dropped. The subscriber's demand is
 * a running total: each attempt requests from its own publisher what that total leaves after the elements delivered
 * before it became current ({@link FluxAttempt#sync}), so a retried {@code Flux} restarts from its beginning without
 * ever delivering more than was requested.
 *
 * <h2>State and concurrency</h2>
 * What the subscriber sees is serialized by one work-in-progress counter: whoever moves it from 0 delivers, others
 * leave their element in a queue (created only when two threads meet), their new attempt in {@code pending}, or the
 * terminal signal in {@code terminal}, and the holder delivers them before it leaves, in that order. The
 * number of elements delivered and the current attempt change only while the counter is held; the demand is a
 * monotonic total changed by CAS.
 */
final class FluxCall extends ReactorCall {

    private static final Object COMPLETE = new Object();

    private static final VarHandle WIP;
    private static final VarHandle DEMAND;
    private static final VarHandle PENDING;
    private static final VarHandle QUEUE;
    private static final VarHandle CANCELLED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            WIP = lookup.findVarHandle(FluxCall.class, "wip", int.class);
            DEMAND = lookup.findVarHandle(FluxCall.class, "demand", long.class);
            PENDING = lookup.findVarHandle(FluxCall.class, "pending", FluxAttempt.class);
            QUEUE = lookup.findVarHandle(FluxCall.class, "queue", Queue.class);
            CANCELLED = lookup.findVarHandle(FluxCall.class, "cancelled", boolean.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // through WIP
    private volatile int wip;
    /** Everything the subscriber ever requested, capped at Long.MAX_VALUE (unbounded). */
    volatile long demand;
    /** The attempt that delivers; changed while the counter is held, read anywhere. */
    private volatile FluxAttempt current;
    /** An attempt that subscribed while somebody else held the counter. */
    @SuppressWarnings("unused") // through PENDING
    private volatile FluxAttempt pending;
    /** Elements ({attempt, element}) that arrived while somebody else held the counter. */
    @SuppressWarnings("unused") // through QUEUE
    private volatile Queue<Object[]> queue;
    /** {@link #COMPLETE} or the failure, once the chain's stage completed. */
    private volatile Object terminal;
    private volatile boolean cancelled;
    /** Whether the subscriber got its terminal signal; while the counter is held. */
    private boolean done;
    /** The elements delivered to the subscriber; while the counter is held. */
    private long delivered;

    FluxCall(CoreSubscriber<? super Object> actual, MethodInvocation proxied) {
        super(actual, proxied);
    }

    @Override
    boolean isCancelled() {
        return cancelled;
    }

    @Override
    @SuppressWarnings("unchecked")
    CompletionStage<Object> subscribe(Object publisher) {
        FluxAttempt attempt = new FluxAttempt(this);
        ((Flux<Object>) publisher).subscribe((Subscriber<Object>) attempt);
        return attempt.stage;
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        while (true) {
            long total = demand;
            long next = (total + n < 0) ? Long.MAX_VALUE : total + n;
            if (total == Long.MAX_VALUE || DEMAND.compareAndSet(this, total, next)) {
                break;
            }
        }
        FluxAttempt attempt = current;
        if (attempt != null) {
            attempt.sync();
        }
    }

    /**
     * Cancelled after the running attempt delivered elements, that attempt ends as a success (its partner delivered,
     * the subscriber had what it wanted); otherwise the chain's stage is cancelled, which reaches the attempt.
     */
    @Override
    public void cancel() {
        if (!CANCELLED.compareAndSet(this, false, true)) {
            return;
        }
        FluxAttempt attempt = current;
        if (attempt == null || !attempt.deliveredAny || !attempt.endAsSuccess()) {
            CompletionStage<Object> chainStage = stage;
            if (chainStage != null) {
                RelayFuture.cancelStage(chainStage);
            }
        }
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            drain();
        }
    }

    /** The chain's stage completed: the subscriber gets the terminal signal once what was delivered before is. */
    @Override
    public void accept(Object unused, Throwable failure) {
        terminal = (failure == null) ? COMPLETE : Failures.unwrap(failure);
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            drain();
        }
    }

    /** An attempt subscribed to its publisher: it becomes the one that delivers, and requests what is left. */
    void switchTo(FluxAttempt attempt) {
        if (WIP.compareAndSet(this, 0, 1)) {
            boolean made = makeCurrent(attempt);
            if ((int) WIP.getAndAdd(this, -1) != 1) {
                drain();
            }
            if (made) {
                attempt.sync();
            }
            return;
        }
        FluxAttempt superseded = (FluxAttempt) PENDING.getAndSet(this, attempt);
        if (superseded != null) {
            superseded.cancelUpstream();
        }
        if ((int) WIP.getAndAdd(this, 1) == 0) {
            drain();
        }
    }

    /** An element of {@code attempt}: delivered now, or by whoever holds the counter. */
    void emit(FluxAttempt attempt, Object element) {
        if (WIP.compareAndSet(this, 0, 1)) {
            deliver(attempt, element);
            if ((int) WIP.getAndAdd(this, -1) == 1) {
                return;
            }
        }
        else {
            queue().offer(new Object[] {attempt, element});
            if ((int) WIP.getAndAdd(this, 1) != 0) {
                return;
            }
        }
        drain();
    }

    @SuppressWarnings("unchecked")
    private Queue<Object[]> queue() {
        Queue<Object[]> existing = (Queue<Object[]>) QUEUE.getVolatile(this);
        if (existing != null) {
            return existing;
        }
        Queue<Object[]> created = new ConcurrentLinkedQueue<>();
        Queue<Object[]> witness = (Queue<Object[]>) QUEUE.compareAndExchange(this, null, created);
        return (witness != null) ? witness : created;
    }

    /** Called with the counter held (and at least 1 counted for the caller); leaves it released. */
    @SuppressWarnings("unchecked")
    private void drain() {
        int missed = 1;
        FluxAttempt made = null;
        while (true) {
            Queue<Object[]> waiting = (Queue<Object[]>) QUEUE.getVolatile(this);
            if (waiting != null) {
                Object[] item;
                while ((item = waiting.poll()) != null) {
                    deliver((FluxAttempt) item[0], item[1]);
                }
            }
            FluxAttempt next = (FluxAttempt) PENDING.getAndSet(this, null);
            if (next != null && makeCurrent(next)) {
                made = next;
            }
            Object end = terminal;
            if (!done && (cancelled || end != null)) {
                waiting = (Queue<Object[]>) QUEUE.getVolatile(this);
                if (cancelled || waiting == null || waiting.isEmpty()) {
                    done = true;
                    finish(end);
                }
            }
            if (done) {
                discardWaiting();
            }
            missed = (int) WIP.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                break;
            }
        }
        if (made != null) {
            made.sync();
        }
    }

    /** The subscriber's terminal signal (none when it cancelled); the last attempt's subscription is let go. */
    private void finish(Object end) {
        FluxAttempt last = current;
        if (last != null) {
            last.cancelUpstream();
        }
        if (cancelled) {
            return;
        }
        if (end == COMPLETE) {
            actual.onComplete();
        }
        else {
            actual.onError((Throwable) end);
        }
    }

    @SuppressWarnings("unchecked")
    private void discardWaiting() {
        Queue<Object[]> waiting = (Queue<Object[]>) QUEUE.getVolatile(this);
        if (waiting != null) {
            Object[] item;
            while ((item = waiting.poll()) != null) {
                Operators.onDiscard(item[1], context);
            }
        }
    }

    /** With the counter held. */
    private boolean makeCurrent(FluxAttempt attempt) {
        if (done || cancelled) {
            attempt.cancelUpstream();
            return false;
        }
        attempt.base = delivered;
        current = attempt;
        return true;
    }

    /** With the counter held. */
    private void deliver(FluxAttempt attempt, Object element) {
        if (done || cancelled || attempt != current || attempt.ended) {
            Operators.onDiscard(element, context);
            return;
        }
        delivered++;
        if (!attempt.deliveredAny) {
            attempt.deliveredAny = true;
        }
        actual.onNext(element);
    }
}
