package dev.resilience.core.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that records each wait and returns at once, or throws InterruptedException on a chosen wait. */
final class RecordingSleeper implements Sleeper {

    private final List<Duration> waits = new ArrayList<>();
    private int interruptOnWait = -1;

    /** Makes wait number {@code waitNumber} (1 for the first) throw InterruptedException. */
    RecordingSleeper interruptOnWait(int waitNumber) {
        interruptOnWait = waitNumber;
        return this;
    }

    @Override
    public void sleep(long nanos) throws InterruptedException {
        waits.add(Duration.ofNanos(nanos));
        if (waits.size() == interruptOnWait) {
            throw new InterruptedException("interrupted in test");
        }
    }

    List<Duration> waits() {
        return waits;
    }
}
