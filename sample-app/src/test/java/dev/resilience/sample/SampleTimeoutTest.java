package dev.resilience.sample;

import dev.resilience.core.timeout.TimeoutMetrics;
import dev.resilience.core.timeout.TimeoutRegistry;
import dev.resilience.sample.offer.Offer;
import dev.resilience.sample.offer.PartnerClient;
import dev.resilience.sample.offer.PartnerClientProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.client.ResourceAccessException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /offer} while the partner hangs: the synchronous {@code @Timeout} interrupts the request thread, which is
 * blocked in the partner call, at the deadline. That works because the sample's {@code RestClient} runs on the JDK
 * {@code HttpClient} ({@code JdkClientHttpRequestFactory}), whose blocking call waits on a future and ends when its
 * thread is interrupted; a client on a classic {@code java.net.Socket} would hold the thread until its own read
 * timeout.
 */
class SampleTimeoutTest extends SampleTestSupport {

    @Autowired
    PartnerClientProperties partnerSettings;

    @Autowired
    PartnerClient partnerClient;

    @Autowired
    TimeoutRegistry timeouts;

    @AfterEach
    void releaseTheHangingPartnerCalls() {
        heal();
    }

    @Test
    void aHangingPartnerIsCutAtTheTimeoutLongBeforeTheHttpClientsReadTimeout() {
        Duration readTimeout = partnerSettings.readTimeout();
        assertThat(readTimeout).isEqualTo(Duration.ofSeconds(5));
        assertThat(TIMEOUT.plus(MARGIN)).isLessThan(readTimeout);
        TimeoutMetrics before = timeouts.get(PARTNER).getMetrics();
        long callsBefore = partnerCalls();
        chaos("{\"latency\": \"" + HANG + "\"}");

        TimedOffer answer = timedOffer("/offer");

        assertThat(answer.offer().source()).isEqualTo(Offer.FALLBACK);
        assertThat(answer.offer().reason()).isEqualTo("timeout after " + TIMEOUT_MILLIS + "ms");
        assertThat(answer.took()).isBetween(TIMEOUT, TIMEOUT.plus(MARGIN));
        // the partner did receive the call (once: a timeout is not retried), so the thread really was waiting on it
        assertThat(partnerCalls()).isEqualTo(callsBefore + 1);
        assertThat(timeouts.get(PARTNER).getMetrics().timedOutCalls()).isEqualTo(before.timedOutCalls() + 1);
    }

    @Test
    void thePartnerClientsBlockingCallEndsAsSoonAsItsThreadIsInterrupted() throws InterruptedException {
        chaos("{\"latency\": \"" + HANG + "\"}");
        long callsBefore = partnerCalls();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread caller = new Thread(() -> failure.set(catchThrowable(partnerClient::hotOffer)), "partner-caller");
        caller.setDaemon(true);
        caller.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> partnerCalls() > callsBefore);

            caller.interrupt();

            // well before the client's 5s read timeout (and the partner's 10s latency)
            await().atMost(MARGIN.multipliedBy(2)).until(() -> !caller.isAlive());
            assertThat(failure.get()).isInstanceOf(ResourceAccessException.class)
                    .hasRootCauseInstanceOf(InterruptedException.class);
        }
        finally {
            caller.interrupt();
            caller.join(Duration.ofSeconds(10).toMillis());
        }
    }
}
