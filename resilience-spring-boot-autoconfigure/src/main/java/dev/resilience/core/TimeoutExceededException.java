package dev.resilience.core;

import java.time.Duration;

/** The call did not finish within the timeout of the named instance. */
public class TimeoutExceededException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    public TimeoutExceededException(String name, Duration timeout) {
        super(name, "Timeout '" + name + "' expired: the call did not finish within " + timeout.toMillis() + "ms");
    }
}
