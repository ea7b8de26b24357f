package dev.resilience.aop.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One attempt of a protected {@code Mono}: the subscriber of the publisher the method returned, and the stage the
 * policies see for the attempt, completed by its value, its completion without a value, or its error. Cancelling the
 * stage (a timeout, or the caller's cancellation passed inward) cancels the subscription.
 */
final class MonoAttempt extends CompletableFuture<Object> implements CoreSubscriber<Object> {

    private static final Subscription CANCELLED = Operators.cancelledSubscription();
    private static final VarHandle UPSTREAM;

    static {
        try {
            UPSTREAM = MethodHandles.lookup().findVarHandle(MonoAttempt.class, "upstream", Subscription.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Context context;
    @SuppressWarnings("unused") // through UPSTREAM
    private volatile Subscription upstream;

    MonoAttempt(Context context) {
        this.context = context;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        if (UPSTREAM.compareAndSet(this, null, subscription)) {
            subscription.request(Long.MAX_VALUE);
        }
        else {
            subscription.cancel();
        }
    }

    @Override
    public void onNext(Object value) {
        if (!complete(value)) {
            Operators.onDiscard(value, context);
        }
    }

    @Override
    public void onError(Throwable failure) {
        // after a cancellation (the attempt was given up) the failure has nobody to go to
        completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        // after a value, nothing changes
        complete(null);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            Subscription subscription = (Subscription) UPSTREAM.getAndSet(this, CANCELLED);
            if (subscription != null && subscription != CANCELLED) {
                subscription.cancel();
            }
        }
        return cancelled;
    }
}
