package dev.resilience.core.retry;

import java.util.concurrent.TimeUnit;

/**
 * Makes the calling thread wait between two synchronous attempts. Injected so that tests can record
 * the waits instead of sleeping.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits {@code nanos} nanoseconds.
     *
     * @throws InterruptedException if the thread is interrupted before or while waiting
     */
    void sleep(long nanos) throws InterruptedException;

    /** Sleeps the calling thread; an interrupt (even one pending on entry, even for a zero wait) ends the wait. */
    static Sleeper system() {
        return nanos -> {
            if (nanos > 0) {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } else if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        };
    }
}
