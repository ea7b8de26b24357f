package dev.resilience.aop.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BiConsumer;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

import dev.resilience.core.RelayFuture;

/**
 * One attempt of a protected {@code Flux} (or the answer of its fallback): the subscriber of the publisher the method
 * returned, which hands its elements to the {@link FluxCall}, and the stage the policies see for the attempt,
 * completed by its terminal signal. When the stage is completed from outside first (cancelled, or given up by a
 * timeout: {@link RelayFuture#abandon}), the attempt cancels its subscription and delivers nothing more: a stream
 * whose attempt is over has nowhere to go.
 */
final class FluxAttempt implements CoreSubscriber<Object>, BiConsumer<Object, Throwable> {

    private static final Subscription CANCELLED = Operators.cancelledSubscription();
    private static final VarHandle UPSTREAM;
    private static final VarHandle ASKED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            UPSTREAM = lookup.findVarHandle(FluxAttempt.class, "upstream", Subscription.class);
            ASKED = lookup.findVarHandle(FluxAttempt.class, "asked", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    final RelayFuture stage = new RelayFuture();
    private final FluxCall call;
    private volatile Subscription upstream;
    /** How much was requested from the upstream so far, in all. */
    @SuppressWarnings("unused") // through ASKED
    private volatile long asked;
    /** The elements the call delivered before this attempt became current; set once, before it is current. */
    long base;
    /** Whether the call delivered an element of this attempt. */
    volatile boolean deliveredAny;
    /** Whether the stage completed, whichever way. */
    volatile boolean ended;
    /** Whether the stage was completed by this attempt (its signal, or a cancellation after elements). */
    private volatile boolean terminated;

    FluxAttempt(FluxCall call) {
        this.call = call;
        stage.whenComplete(this);
    }

    @Override
    public Context currentContext() {
        return call.context;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (UPSTREAM.compareAndSet(this, null, subscription)) {
            call.switchTo(this);
        }
        else {
            subscription.cancel();
        }
    }

    @Override
    public void onNext(Object element) {
        if (ended) {
            Operators.onDiscard(element, call.context);
            return;
        }
        call.emit(this, element);
    }

    @Override
    public void onError(Throwable failure) {
        terminated = true;
        // when the attempt is over already, the failure has nobody to go to
        stage.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        terminated = true;
        stage.complete(null);
    }

    /** The subscriber cancelled after elements of this attempt: it ends as a success; false if it was over. */
    boolean endAsSuccess() {
        terminated = true;
        cancelUpstream();
        return stage.complete(null);
    }

    /** The stage completed: completed from outside, the attempt lets its publisher go. */
    @Override
    public void accept(Object unused, Throwable failure) {
        ended = true;
        if (!terminated) {
            cancelUpstream();
        }
    }

    void cancelUpstream() {
        Subscription subscription = (Subscription) UPSTREAM.getAndSet(this, CANCELLED);
        if (subscription != null && subscription != CANCELLED) {
            subscription.cancel();
        }
    }

    /** Requests from the upstream what the subscriber's demand leaves for this attempt, exactly once per element. */
    void sync() {
        Subscription subscription = upstream;
        if (subscription == null || subscription == CANCELLED) {
            return;
        }
        while (true) {
            long total = call.demand;
            long wanted = (total == Long.MAX_VALUE) ? Long.MAX_VALUE : total - base;
            long had = asked;
            if (wanted <= had) {
                return;
            }
            if (ASKED.compareAndSet(this, had, wanted)) {
                subscription.request((wanted == Long.MAX_VALUE) ? Long.MAX_VALUE : wanted - had);
                return;
            }
        }
    }
}
