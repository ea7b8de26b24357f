package dev.resilience.core.bulkhead;

/**
 * Hears of the calls through a bulkhead (for metrics and logs). Listeners are called on the thread of
 * the event, on the hot path, so they must be quick; a RuntimeException they throw is logged and
 * ignored, never breaking the call. Every method does nothing unless overridden.
 */
public interface BulkheadListener {

    /** A call was let in. */
    default void onCallPermitted(Bulkhead bulkhead) {
    }

    /** A call found no room and was rejected. */
    default void onCallRejected(Bulkhead bulkhead) {
    }

    /** A permitted call gave its room back. */
    default void onCallFinished(Bulkhead bulkhead) {
    }
}
