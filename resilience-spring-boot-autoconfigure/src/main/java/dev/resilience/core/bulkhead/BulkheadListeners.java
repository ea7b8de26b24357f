package dev.resilience.core.bulkhead;

import dev.resilience.core.ListenerList;

/** The listeners of one bulkhead, with one method per event so that neither kind of bulkhead repeats the notices. */
final class BulkheadListeners {

    private static final ListenerList.Notice<BulkheadListener, Bulkhead> PERMITTED =
            (listener, bulkhead, unused, none) -> listener.onCallPermitted(bulkhead);
    private static final ListenerList.Notice<BulkheadListener, Bulkhead> REJECTED =
            (listener, bulkhead, unused, none) -> listener.onCallRejected(bulkhead);
    private static final ListenerList.Notice<BulkheadListener, Bulkhead> FINISHED =
            (listener, bulkhead, unused, none) -> listener.onCallFinished(bulkhead);

    private final ListenerList<BulkheadListener, Bulkhead> listeners;

    BulkheadListeners(Bulkhead bulkhead) {
        this.listeners = new ListenerList<>(bulkhead, "bulkhead '" + bulkhead.getName() + "'");
    }

    void add(BulkheadListener listener) {
        listeners.add(listener);
    }

    void permitted() {
        listeners.notify(PERMITTED, 0, null);
    }

    void rejected() {
        listeners.notify(REJECTED, 0, null);
    }

    void finished() {
        listeners.notify(FINISHED, 0, null);
    }
}
