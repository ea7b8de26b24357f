package dev.resilience.core.timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes each event as a line, in order. */
final class RecordingTimeoutListener implements TimeoutListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onSuccess(Timeout timeout) {
        events.add("success " + timeout.getName());
    }

    @Override
    public void onFailure(Timeout timeout, Throwable error) {
        events.add("failure " + error.getMessage());
    }

    @Override
    public void onTimeout(Timeout timeout) {
        events.add("timeout " + timeout.getName());
    }
}
