package dev.resilience.core.circuitbreaker;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Delivers a breaker's transitions to its listeners one at a time and in the order they happened, without holding a
 * lock while a listener runs. Transitions are queued under the breaker's transition lock (so the queue order is the
 * order of the swaps); whoever then finds the drain idle delivers everything queued, including what other threads add
 * meanwhile (the counter of missed drains), so a transition triggered from inside a listener is delivered after the
 * current one, by the same thread.
 *
 * @param <E> what is delivered
 */
final class TransitionQueue<E> {

    private final Queue<E> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final Consumer<E> delivery;

    TransitionQueue(Consumer<E> delivery) {
        this.delivery = delivery;
    }

    /** Queues one transition; call {@link #drain()} after the lock that orders transitions is released. */
    void add(E event) {
        queued.add(event);
    }

    /** Delivers what is queued, unless another thread is delivering already (it then delivers this too). */
    void drain() {
        if (pending.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            E event;
            while ((event = queued.poll()) != null) {
                delivery.accept(event);
            }
            missed = pending.addAndGet(-missed);
        } while (missed != 0);
    }
}
