package dev.resilience.core;

/**
 * A source of monotonic time in nanoseconds. Policies read time only from a ticker so that tests can
 * drive them with a manual one.
 */
@FunctionalInterface
public interface Ticker {

    long nanoTime();

    static Ticker system() {
        return System::nanoTime;
    }
}
