package dev.resilience.reactor;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the protected methods of a test return, call after call: the planned publishers in turn, then the default
 * one. Counts the calls of the method, the subscriptions to what it returned and their cancellations, and notes the
 * thread of each call.
 */
final class Script {

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger subscriptions = new AtomicInteger();
    final AtomicInteger cancellations = new AtomicInteger();
    final List<String> threads = new CopyOnWriteArrayList<>();
    private final Queue<Supplier<? extends Publisher<String>>> plan = new ConcurrentLinkedQueue<>();
    private volatile Supplier<? extends Publisher<String>> otherwise = () -> Flux.just("ok");

    /** The next calls return these, in turn. */
    @SafeVarargs
    final Script plan(Supplier<? extends Publisher<String>>... publishers) {
        plan.addAll(List.of(publishers));
        return this;
    }

    /** The calls after the planned ones return this. */
    Script otherwise(Supplier<? extends Publisher<String>> publisher) {
        otherwise = publisher;
        return this;
    }

    Mono<String> mono() {
        return Mono.from(next()).doOnSubscribe(subscription -> subscriptions.incrementAndGet())
                .doOnCancel(cancellations::incrementAndGet);
    }

    Flux<String> flux() {
        return Flux.from(next()).doOnSubscribe(subscription -> subscriptions.incrementAndGet())
                .doOnCancel(cancellations::incrementAndGet);
    }

    private Publisher<String> next() {
        calls.incrementAndGet();
        threads.add(Thread.currentThread().getName());
        Supplier<? extends Publisher<String>> planned = plan.poll();
        return (planned != null ? planned : otherwise).get();
    }
}
