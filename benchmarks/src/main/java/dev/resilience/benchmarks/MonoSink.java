package dev.resilience.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;

/**
 * Subscribes to a {@code Mono} that answers synchronously and hands back its value: the same subscriber for every
 * side, reused by its thread, so that what a benchmark allocates is the library's and the method's, not the
 * caller's ({@code block()} would add a latch per call).
 */
@State(Scope.Thread)
public class MonoSink implements CoreSubscriber<Object> {

    private Object value;
    private Throwable failure;

    /** The value {@code mono} answered, at once; fails when it failed or did not answer during the subscription. */
    public Object take(Mono<?> mono) {
        value = null;
        failure = null;
        mono.subscribe(this);
        Object answered = value;
        if (answered == null) {
            throw new IllegalStateException("The Mono did not answer during its subscription", failure);
        }
        return answered;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(Object next) {
        value = next;
    }

    @Override
    public void onError(Throwable error) {
        failure = error;
    }

    @Override
    public void onComplete() {
    }
}
