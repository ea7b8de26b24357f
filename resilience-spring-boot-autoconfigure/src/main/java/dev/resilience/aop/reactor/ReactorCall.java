package dev.resilience.aop.reactor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.util.context.Context;

import org.springframework.util.ClassUtils;

import dev.resilience.aop.DeferredInvocation;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.RelayFuture;

/**
 * One subscription to a protected {@code Mono} or {@code Flux}: one protected call. It is the invocation the chain
 * runs with (so every attempt finds it again), the subscription its subscriber holds, and the listener of the
 * chain's stage, whose outcome it hands to the subscriber.
 */
abstract class ReactorCall extends DeferredInvocation implements Subscription, BiConsumer<Object, Throwable> {

    /** Whether Micrometer's context-propagation library is there to capture and restore thread-locals. */
    private static final boolean PROPAGATION = ClassUtils.isPresent("io.micrometer.context.ContextSnapshotFactory",
            ReactorCall.class.getClassLoader());

    final CoreSubscriber<? super Object> actual;
    /** What the method's publisher sees as its subscriber's context, on every attempt. */
    final Context context;
    /** The thread-locals to set around every attempt (a {@code ContextSnapshot}), or null. */
    private final Object snapshot;
    /** The chain's stage once the chain returned it: cancelling the subscription cancels it. */
    volatile CompletionStage<Object> stage;

    ReactorCall(CoreSubscriber<? super Object> actual, MethodInvocation proxied) {
        super(proxied);
        this.actual = actual;
        Context subscriberContext = actual.currentContext();
        Object captured = PROPAGATION ? ThreadLocals.capture(subscriberContext) : null;
        this.snapshot = captured;
        this.context = (captured != null) ? ThreadLocals.enrich(captured, subscriberContext) : subscriberContext;
    }

    /** Whether the subscriber cancelled its subscription. */
    abstract boolean isCancelled();

    /** Subscribes a new attempt to what the method returned (a {@code Mono} or {@code Flux}); its stage. */
    abstract CompletionStage<Object> subscribe(Object publisher);

    /** Runs the chain, once: called on the subscribing thread, after the subscriber got its subscription. */
    final void start(AsyncCall<MethodInvocation> chain) {
        CompletionStage<Object> result;
        try {
            result = chain.invoke(this);
        }
        catch (Throwable failure) {
            Exceptions.throwIfJvmFatal(failure);
            result = CompletableFuture.failedFuture(failure);
        }
        if (result == null) {
            result = CompletableFuture.failedFuture(
                    new NullPointerException("The chain of " + getMethod() + " returned no stage"));
        }
        stage = result;
        if (isCancelled()) {
            // cancelled while the chain started: the stage had no one to cancel it yet
            RelayFuture.cancelStage(result);
        }
        if (result instanceof CompletableFuture<Object> done && done.isDone() && !done.isCompletedExceptionally()) {
            // answered at once (Mono.just, say): no completion handler needed
            accept(done.getNow(null), null);
        }
        else {
            result.whenComplete(this);
        }
    }

    /**
     * One attempt: runs the method (or its fallback method) through {@code method}, then subscribes to its answer,
     * with the subscriber's thread-locals set meanwhile (when context-propagation captured some), on whichever thread
     * the attempt runs: the subscriber's, the one a retry wait or a bulkhead wait ended on.
     */
    final CompletionStage<Object> attempt(Call<MethodInvocation> method) {
        Object captured = snapshot;
        return (captured != null) ? ThreadLocals.attempt(captured, this, method) : attemptHere(method);
    }

    final CompletionStage<Object> attemptHere(Call<MethodInvocation> method) {
        Object returned;
        try {
            returned = method.invoke(this);
        }
        catch (VirtualMachineError error) {
            throw error;
        }
        catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
        return subscribeSafely(returned);
    }

    /** {@link #subscribe}, a publisher that throws when subscribed to being a failed attempt. */
    final CompletionStage<Object> subscribeSafely(Object publisher) {
        try {
            return subscribe(publisher);
        }
        catch (Throwable failure) {
            Exceptions.throwIfJvmFatal(failure);
            return CompletableFuture.failedFuture(failure);
        }
    }
}
