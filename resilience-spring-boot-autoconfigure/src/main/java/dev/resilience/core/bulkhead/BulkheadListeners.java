package dev.resilience.core.bulkhead;

import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.Objects;

/**
 * The listeners of one bulkhead. Held as a copy-on-write array so that notifying them on the hot
 * path walks an array without allocating an iterator.
 */
final class BulkheadListeners {

    private static final System.Logger LOGGER = System.getLogger(BulkheadListener.class.getName());

    private volatile BulkheadListener[] listeners = new BulkheadListener[0];

    synchronized void add(BulkheadListener listener) {
        Objects.requireNonNull(listener, "listener");
        BulkheadListener[] current = listeners;
        BulkheadListener[] copy = Arrays.copyOf(current, current.length + 1);
        copy[current.length] = listener;
        listeners = copy;
    }

    void permitted(Bulkhead bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallPermitted(bulkhead);
            } catch (RuntimeException ex) {
                failed(bulkhead, ex);
            }
        }
    }

    void rejected(Bulkhead bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallRejected(bulkhead);
            } catch (RuntimeException ex) {
                failed(bulkhead, ex);
            }
        }
    }

    void finished(Bulkhead bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallFinished(bulkhead);
            } catch (RuntimeException ex) {
                failed(bulkhead, ex);
            }
        }
    }

    private static void failed(Bulkhead bulkhead, RuntimeException ex) {
        LOGGER.log(Level.WARNING, "A listener of bulkhead '" + bulkhead.getName() + "' failed; the call goes on", ex);
    }
}
