package dev.resilience.core.ratelimiter;

import java.util.concurrent.locks.LockSupport;

/**
 * Makes a synchronous caller's thread wait for its permit. Injected so that tests can move a manual clock instead of
 * waiting; the limiter parks again for what is left whenever the thread comes back early.
 */
@FunctionalInterface
public interface Parker {

    /**
     * Waits about {@code nanos}; may return earlier.
     *
     * @throws InterruptedException if the thread is interrupted before or while it waits
     */
    void park(long nanos) throws InterruptedException;

    /** Parks the thread ({@link LockSupport#parkNanos}): it takes no processor while it waits and never spins. */
    static Parker system() {
        return nanos -> {
            LockSupport.parkNanos(nanos);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        };
    }
}
