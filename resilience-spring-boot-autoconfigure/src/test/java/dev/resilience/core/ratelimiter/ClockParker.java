package dev.resilience.core.ratelimiter;

import dev.resilience.core.ManualTicker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A parker that records each wait and moves the manual ticker by it instead of waiting; or is interrupted. */
final class ClockParker implements Parker {

    private final ManualTicker ticker;
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile boolean interrupt;

    ClockParker(ManualTicker ticker) {
        this.ticker = ticker;
    }

    /** The next wait is interrupted at its start, as if the thread had been interrupted. */
    ClockParker interruptNext() {
        interrupt = true;
        return this;
    }

    @Override
    public void park(long nanos) throws InterruptedException {
        waits.add(Duration.ofNanos(nanos));
        if (interrupt) {
            interrupt = false;
            throw new InterruptedException("interrupted in test");
        }
        ticker.advance(Duration.ofNanos(nanos));
    }

    List<Duration> waits() {
        return waits;
    }
}
