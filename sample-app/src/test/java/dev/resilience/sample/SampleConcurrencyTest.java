package dev.resilience.sample;

import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A burst of callers while the partner hangs: the bulkhead and the timeout keep the service's own threads
 * free, so every caller gets the cold offer in time.
 */
class SampleConcurrencyTest extends SampleTestSupport {

    private static final int CALLERS = 50;

    @Test
    void fiftyConcurrentCallersWhileThePartnerHangsAllGetTheColdOfferInTime() throws Exception {
        chaos("{\"latency\": \"" + HANG + "\"}");
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch ready = new CountDownLatch(CALLERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TimedOffer>> answers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                answers.add(callers.submit(() -> {
                    ready.countDown();
                    go.await();
                    return timedOffer("/offer");
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();

            List<TimedOffer> offers = new ArrayList<>();
            for (Future<TimedOffer> answer : answers) {
                offers.add(answer.get(30, TimeUnit.SECONDS));
            }
            assertThat(offers).hasSize(CALLERS).allSatisfy(answer -> {
                assertThat(answer.offer().source()).isEqualTo(Offer.FALLBACK);
                assertThat(answer.took()).isLessThan(TIMEOUT.plus(MARGIN));
            });
            // at least the first callers reached the hanging partner and were cut by the timeout; the others were
            // turned away by the full bulkhead or the breaker that those timeouts opened
            assertThat(offers).extracting(answer -> answer.offer().reason())
                    .contains("timeout after " + TIMEOUT_MILLIS + "ms")
                    .allMatch(reason -> reason.equals("timeout after " + TIMEOUT_MILLIS + "ms")
                            || reason.equals("bulkhead 'partner' is full")
                            || reason.startsWith("circuit breaker 'partner' is "));
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
