package dev.resilience.core.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes each event as a line, in order. */
final class RecordingRetryListener implements RetryListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onRetry(Retry retry, int attempt, Throwable error, long waitNanos) {
        events.add("retry " + retry.getName() + " attempt=" + attempt + " error=" + error.getMessage() + " wait=" + waitNanos);
    }

    @Override
    public void onSuccess(Retry retry, int attempts) {
        events.add("success attempts=" + attempts);
    }

    @Override
    public void onError(Retry retry, int attempts, Throwable error) {
        events.add("error attempts=" + attempts + " error=" + error.getMessage());
    }

    @Override
    public void onBudgetExhausted(Retry retry, int attempts, Throwable error) {
        events.add("budget exhausted attempts=" + attempts + " error=" + error.getMessage());
    }

    @Override
    public void onIgnoredError(Retry retry, Throwable error) {
        events.add("ignored error=" + error.getMessage());
    }
}
