package dev.resilience.sample.partner;

import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The partner's current chaos and the count of calls it received. Thread-safe. */
@Component
public class PartnerChaos {

    /** The HTTP status of a call that does not fail. */
    static final int OK = 200;

    private final AtomicReference<Active> active = new AtomicReference<>(new Active(Chaos.NONE));
    private final AtomicLong receivedCalls = new AtomicLong();
    private final AtomicInteger concurrentCalls = new AtomicInteger();

    /** The chaos in force. */
    public Chaos current() {
        return active.get().chaos();
    }

    /** The calls received so far. */
    public long receivedCalls() {
        return receivedCalls.get();
    }

    /** The calls being served right now. */
    public int concurrentCalls() {
        return concurrentCalls.get();
    }

    /** Puts {@code chaos} in force; calls that are still waiting out the previous latency answer at once. */
    public void set(Chaos chaos) {
        active.getAndSet(new Active(chaos)).replaced().countDown();
    }

    /** Back to a healthy partner. */
    public void heal() {
        set(Chaos.NONE);
    }

    /**
     * Plays one call: counts it, waits the latency (with its share for each call being served) without holding a CPU (the wait ends early when the chaos
     * is changed), then decides whether the call fails.
     *
     * @return {@link #OK}, or the HTTP status of the failure
     * @throws InterruptedException when the serving thread is interrupted while it waits
     */
    int play() throws InterruptedException {
        receivedCalls.incrementAndGet();
        int serving = concurrentCalls.incrementAndGet();
        try {
            Active now = active.get();
            Chaos chaos = now.chaos();
            Duration latency = chaos.latencyAt(serving);
            if (!latency.isZero()) {
                now.replaced().await(latency.toNanos(), TimeUnit.NANOSECONDS);
            }
            return chaos.fails(ThreadLocalRandom.current().nextDouble()) ? chaos.status() : OK;
        } finally {
            concurrentCalls.decrementAndGet();
        }
    }

    /** One chaos in force, with the latch that releases its waiting calls when it is replaced. */
    private record Active(Chaos chaos, CountDownLatch replaced) {

        Active(Chaos chaos) {
            this(chaos, new CountDownLatch(1));
        }
    }
}
