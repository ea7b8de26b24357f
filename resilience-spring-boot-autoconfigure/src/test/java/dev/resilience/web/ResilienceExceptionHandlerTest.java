package dev.resilience.web;

import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The answer itself, without a server: Retry-After at its edges. */
class ResilienceExceptionHandlerTest {

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void retryAfterIsInWholeSecondsRoundedUpAndNeverOverflows() {
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ZERO)).isZero();
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ofNanos(1))).isEqualTo(1);
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ofSeconds(3))).isEqualTo(3);
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ofSeconds(3).plusNanos(1))).isEqualTo(4);
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ofSeconds(-3))).isZero();
        assertThat(ResilienceExceptionHandler.retryAfterSeconds(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void anOpenBreakerOfAnEndlessWaitStillAnswersANumber() {
        CircuitBreakerRegistry registry = new CircuitBreakerRegistry(
                name -> CircuitBreakerConfig.builder().waitDurationInOpenState(Duration.ofDays(365_000)).build(),
                ticker, new ManualScheduler(ticker));
        registry.get("endless").transitionToOpenState();

        ResponseEntity<ProblemDetail> answer = new ResilienceExceptionHandler(registry)
                .handleCircuitBreakerOpen(new CircuitBreakerOpenException("endless", "OPEN"));

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().get(HttpHeaders.RETRY_AFTER)).singleElement()
                .satisfies(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    }

    @Test
    void withoutARegistryAnOpenBreakerAnswersWithoutRetryAfterAndARateLimitStillWithIt() {
        ResilienceExceptionHandler handler = new ResilienceExceptionHandler(null);

        assertThat(handler.handleCircuitBreakerOpen(new CircuitBreakerOpenException("partner", "OPEN"))
                .getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(handler.handleRateLimitExceeded(new RateLimitExceededException("partner", Duration.ofMillis(200)))
                .getHeaders().get(HttpHeaders.RETRY_AFTER)).containsExactly("1");
    }
}
