package dev.resilience.core.bulkhead;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the events it hears. */
final class CountingListener implements BulkheadListener {

    final AtomicInteger permitted = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();

    @Override
    public void onCallPermitted(Bulkhead bulkhead) {
        permitted.incrementAndGet();
    }

    @Override
    public void onCallRejected(Bulkhead bulkhead) {
        rejected.incrementAndGet();
    }

    @Override
    public void onCallFinished(Bulkhead bulkhead) {
        finished.incrementAndGet();
    }
}
