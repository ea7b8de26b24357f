package dev.resilience.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The circuit breaker meters and the observation of protected calls, read back from {@code /actuator/metrics}
 * after known calls. Durations come from the manual ticker, so the timers' totals are exact.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class MetricsTest extends HttpTestSupport {

    @Test
    void timesEachCircuitBreakerCallByOutcome() {
        remote.metered(Duration.ofMillis(100), null);
        remote.metered(Duration.ofMillis(300), null);
        quietly(() -> remote.metered(Duration.ofMillis(40), new IllegalArgumentException("ignored")));
        quietly(() -> remote.metered(Duration.ofMillis(250), new IllegalStateException("down")));
        // 2 of 4 recorded calls failed: the breaker opens
        quietly(() -> remote.metered(Duration.ofMillis(50), new IllegalStateException("down")));
        quietly(() -> remote.metered(Duration.ZERO, null));

        assertThat(measurements("resilience.circuitbreaker.calls", "name:metered", "kind:successful"))
                .containsEntry("COUNT", 2.0).containsEntry("TOTAL_TIME", 0.4);
        assertThat(measurements("resilience.circuitbreaker.calls", "name:metered", "kind:failed"))
                .containsEntry("COUNT", 2.0).containsEntry("TOTAL_TIME", 0.3);
        assertThat(measurements("resilience.circuitbreaker.calls", "name:metered", "kind:ignored"))
                .containsEntry("COUNT", 1.0).containsEntry("TOTAL_TIME", 0.04);
        assertThat(measurements("resilience.circuitbreaker.calls", "name:metered", "kind:not_permitted"))
                .containsEntry("COUNT", 1.0).containsEntry("TOTAL_TIME", 0.0);
        assertThat(measurements("resilience.circuitbreaker.state", "name:metered", "state:open"))
                .containsEntry("VALUE", 1.0);
        assertThat(measurements("resilience.circuitbreaker.state", "name:metered", "state:closed"))
                .containsEntry("VALUE", 0.0);
        // the observation around each call, as seen by its caller
        assertThat(measurements("resilience.call", "name:metered", "circuitbreaker:metered", "outcome:success"))
                .containsEntry("COUNT", 2.0);
        assertThat(measurements("resilience.call", "name:metered", "outcome:failure"))
                .containsEntry("COUNT", 3.0);
        assertThat(measurements("resilience.call", "name:metered", "outcome:not_permitted"))
                .containsEntry("COUNT", 1.0);
    }

    @Test
    void everyCallsMeterExistsAtZeroBeforeTheFirstCall() {
        for (String kind : List.of("successful", "failed", "ignored", "not_permitted")) {
            assertThat(measurements("resilience.circuitbreaker.calls", "name:lazy", "kind:" + kind))
                    .containsEntry("COUNT", 0.0);
        }
        for (String kind : List.of("successful_without_retry", "successful_with_retry", "failed_with_retry",
                "failed_without_retry")) {
            assertThat(measurements("resilience.retry.calls", "name:idle", "kind:" + kind))
                    .containsEntry("COUNT", 0.0);
        }
        assertThat(measurements("resilience.circuitbreaker.state", "name:lazy", "state:closed"))
                .containsEntry("VALUE", 1.0);
        for (String state : List.of("open", "half_open", "forced_open", "disabled")) {
            assertThat(measurements("resilience.circuitbreaker.state", "name:lazy", "state:" + state))
                    .containsEntry("VALUE", 0.0);
        }
        assertThat(measurements("resilience.circuitbreaker.failure.rate", "name:lazy")).containsEntry("VALUE", -1.0);
        assertThat(measurements("resilience.circuitbreaker.slow.call.rate", "name:lazy"))
                .containsEntry("VALUE", -1.0);
    }

    @Test
    void ratesFollowTheWindow() {
        remote.rates(Duration.ofMillis(10), null);
        remote.rates(Duration.ofMillis(10), null);
        quietly(() -> remote.rates(Duration.ofSeconds(2), new IllegalStateException("slow and failed")));
        assertThat(measurements("resilience.circuitbreaker.failure.rate", "name:rates")).containsEntry("VALUE", -1.0);

        remote.rates(Duration.ofMillis(10), null);

        assertThat(measurements("resilience.circuitbreaker.failure.rate", "name:rates")).containsEntry("VALUE", 25.0);
        assertThat(measurements("resilience.circuitbreaker.slow.call.rate", "name:rates"))
                .containsEntry("VALUE", 25.0);
    }
}
