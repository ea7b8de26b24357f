package dev.resilience.core.timeout;

/**
 * Hears how the calls through a {@link Timeout} end. Every method does nothing by default. Listeners
 * must be quick (a timeout is reported from the scheduler's thread), and a {@link RuntimeException} they
 * throw is logged and never breaks the call.
 */
public interface TimeoutListener {

    /** The call finished with a value before the deadline. */
    default void onSuccess(Timeout timeout) {
    }

    /** The call failed before the deadline; {@code error} propagates as it is. */
    default void onFailure(Timeout timeout, Throwable error) {
    }

    /** The deadline passed first: the call ends with a {@link dev.resilience.core.TimeoutExceededException}. */
    default void onTimeout(Timeout timeout) {
    }
}
