package dev.resilience.aop.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;
import org.reactivestreams.Subscriber;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;

import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;

/**
 * One subscription to a protected {@code Mono}. Its value (or failure) arrives through the chain's stage and is
 * handed to the subscriber once it has requested it.
 *
 * <h2>State and concurrency</h2>
 * One int moved by CAS: whether the subscriber requested, whether the value is waiting for a request, whether the
 * call is over (the subscriber got its signal, or cancelled). The value waits in a plain field, written before the
 * state that publishes it.
 */
final class MonoCall extends ReactorCall {

    private static final int NO_REQUEST = 0;
    private static final int REQUESTED = 1;
    private static final int VALUE_WAITING = 2;
    private static final int DONE = 3;
    private static final int CANCELLED = 4;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(MonoCall.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private volatile int state;
    /** Written before the state moves to VALUE_WAITING, read after it left it. */
    private Object value;

    MonoCall(CoreSubscriber<? super Object> actual, MethodInvocation proxied) {
        super(actual, proxied);
    }

    @Override
    boolean isCancelled() {
        return state == CANCELLED;
    }

    @Override
    @SuppressWarnings("unchecked")
    CompletionStage<Object> subscribe(Object publisher) {
        MonoAttempt attempt = new MonoAttempt(context);
        ((Mono<Object>) publisher).subscribe((Subscriber<Object>) attempt);
        return attempt;
    }

    @Override
    public void request(long n) {
        if (!Operators.validate(n)) {
            return;
        }
        while (true) {
            int current = state;
            if (current == NO_REQUEST) {
                if (STATE.compareAndSet(this, NO_REQUEST, REQUESTED)) {
                    return;
                }
            }
            else if (current == VALUE_WAITING) {
                if (STATE.compareAndSet(this, VALUE_WAITING, DONE)) {
                    Object waiting = value;
                    value = null;
                    emit(waiting);
                    return;
                }
            }
            else {
                return;
            }
        }
    }

    @Override
    public void cancel() {
        while (true) {
            int current = state;
            if (current == DONE || current == CANCELLED) {
                return;
            }
            if (STATE.compareAndSet(this, current, CANCELLED)) {
                if (current == VALUE_WAITING) {
                    Object waiting = value;
                    value = null;
                    Operators.onDiscard(waiting, context);
                }
                CompletionStage<Object> chainStage = stage;
                if (chainStage != null) {
                    RelayFuture.cancelStage(chainStage);
                }
                return;
            }
        }
    }

    /** The chain's stage completed: the value (none for an empty {@code Mono}) or the failure goes to the subscriber. */
    @Override
    public void accept(Object result, Throwable failure) {
        if (failure != null || result == null) {
            while (true) {
                int current = state;
                if (current == DONE || current == CANCELLED) {
                    return;
                }
                if (STATE.compareAndSet(this, current, DONE)) {
                    if (failure != null) {
                        actual.onError(Failures.unwrap(failure));
                    }
                    else {
                        actual.onComplete();
                    }
                    return;
                }
            }
        }
        while (true) {
            int current = state;
            if (current == REQUESTED) {
                if (STATE.compareAndSet(this, REQUESTED, DONE)) {
                    emit(result);
                    return;
                }
            }
            else if (current == NO_REQUEST) {
                value = result;
                if (STATE.compareAndSet(this, NO_REQUEST, VALUE_WAITING)) {
                    return;
                }
                value = null;
            }
            else {
                Operators.onDiscard(result, context);
                return;
            }
        }
    }

    private void emit(Object result) {
        actual.onNext(result);
        actual.onComplete();
    }
}
