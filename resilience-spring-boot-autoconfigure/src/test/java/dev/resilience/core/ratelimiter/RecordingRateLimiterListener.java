package dev.resilience.core.ratelimiter;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a rate limiter's listener hears, one line per event. */
final class RecordingRateLimiterListener implements RateLimiterListener {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onCallPermitted(RateLimiter rateLimiter, long waitedNanos) {
        events.add("permitted " + rateLimiter.getName() + " after " + waitedNanos + "ns");
    }

    @Override
    public void onCallRejected(RateLimiter rateLimiter, long retryAfterNanos) {
        events.add("rejected " + rateLimiter.getName() + ", retry after " + retryAfterNanos + "ns");
    }
}
