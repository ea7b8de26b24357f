package dev.resilience.sample;

import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /offer/async}: the same protection through a {@code CompletableFuture} method. */
class SampleAsyncTest extends SampleTestSupport {

    @Autowired
    @Qualifier("applicationTaskExecutor")
    ThreadPoolTaskExecutor partnerCallers;

    @Test
    void aHangingPartnerIsCutAtTheTimeoutAndItsCallIsInterrupted() {
        chaos("{\"latency\": \"" + HANG + "\"}");

        TimedOffer answer = timedOffer("/offer/async");

        assertThat(answer.offer().source()).isEqualTo(Offer.FALLBACK);
        assertThat(answer.offer().reason()).isEqualTo("timeout after " + TIMEOUT_MILLIS + "ms");
        assertThat(answer.took()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        // the timeout cancelled the method's future, which interrupted the worker's HTTP call: the worker is
        // free long before the partner would have answered
        await().atMost(Duration.ofSeconds(3)).until(() -> partnerCallers.getActiveCount() == 0);
    }
}
