package dev.resilience.sample;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /offer/reactive}: the same protection through a {@code Mono} method calling the partner with a
 * {@code WebClient}, over real HTTP.
 */
class SampleReactiveTest extends SampleTestSupport {

    @AfterEach
    void releaseTheHangingPartnerCalls() {
        heal();
    }

    @Test
    void aHangingPartnerIsCutAtTheTimeoutAndThePermitIsBackAtOnce() {
        chaos("{\"latency\": \"" + HANG + "\"}");

        TimedOffer answer = timedOffer("/offer/reactive");

        assertThat(answer.offer().source()).isEqualTo(Offer.FALLBACK);
        assertThat(answer.offer().reason()).isEqualTo("timeout after " + TIMEOUT_MILLIS + "ms");
        assertThat(answer.took()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        // the request was cancelled at the deadline: the bulkhead permit went back then, not when the partner answers
        assertThat(bulkhead().getAvailableConcurrentCalls()).isEqualTo(bulkhead().getMaxConcurrentCalls());
    }

    @Test
    void failuresOpenTheBreakerThatThenRefusesWithoutCallingThePartner() {
        chaos("{\"failureRate\": 1.0, \"status\": 500}");
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            offer("/offer/reactive");
            return breaker().getState() == CircuitBreaker.State.OPEN;
        });
        long before = partnerCalls();

        Offer offer = offer("/offer/reactive");

        assertThat(offer.reason()).isEqualTo("circuit breaker 'partner' is OPEN");
        assertThat(partnerCalls()).isEqualTo(before);
    }
}
