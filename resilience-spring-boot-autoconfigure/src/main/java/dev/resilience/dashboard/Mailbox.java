package dev.resilience.dashboard;

import java.util.ArrayList;
import java.util.List;

/**
 * What one client has yet to write: at most one frame, the newest (a client too slow for every frame skips to the
 * latest instead of piling frames up), plus the events it must get whatever (its history). So a client that stops
 * reading holds one frame's worth of memory, never more, until the server gives up on it.
 */
final class Mailbox {

    private List<StreamEvent> pending;

    synchronized void offer(List<StreamEvent> events) {
        if (pending == null) {
            pending = events;
            return;
        }
        List<StreamEvent> merged = new ArrayList<>(events.size() + 1);
        for (StreamEvent event : pending) {
            if (event.keep()) {
                merged.add(event);
            }
        }
        merged.addAll(events);
        pending = merged;
    }

    /** The events to write now, in order, or {@code null} when there are none. */
    synchronized List<StreamEvent> poll() {
        List<StreamEvent> events = pending;
        pending = null;
        return events;
    }

    synchronized boolean isEmpty() {
        return pending == null;
    }
}
