package dev.resilience.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.resilience.core.ManualTicker;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.InMemoryFleet;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs a person can act on: why a breaker opened and for how long, and that it closed again. */
@ExtendWith(OutputCaptureExtension.class)
class CircuitBreakerTransitionLogTest {

    private final ManualTicker ticker = new ManualTicker();
    private final CircuitBreakerRegistry registry = new CircuitBreakerRegistry(name -> CircuitBreakerConfig.builder()
            .slidingWindowSize(4).minimumNumberOfCalls(4).failureRateThreshold(50)
            .slowCallDurationThreshold(Duration.ofSeconds(1)).slowCallRateThreshold(100)
            .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(1).build(),
            ticker, TestSchedulers.never());

    @Test
    void oneWarnWhenItOpensWithTheRateThatOpenedItAndOneInfoWhenItCloses(CapturedOutput output) {
        new CircuitBreakerTransitionLog(registry);
        CircuitBreaker breaker = registry.get("partner");
        breaker.onSuccess(0);
        breaker.onError(0, new IllegalStateException("down"));
        breaker.onSuccess(0);
        breaker.onError(0, new IllegalStateException("down"));

        assertThat(output).contains("WARN").contains("Circuit breaker 'partner' is OPEN (from CLOSED): failure rate"
                + " 50.0% reached its threshold of 50.0% over 4 calls; it refuses calls for 10s, then lets trial calls"
                + " through on the next call");

        ticker.advance(Duration.ofSeconds(11));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(0);

        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(output).contains("INFO").contains("Circuit breaker 'partner' is CLOSED (from HALF_OPEN): calls go"
                + " through again");
        assertThat(output.getAll().split("is OPEN", -1)).hasSize(2);
    }

    @Test
    void aSlowPartnerAndAHandAreNamed(CapturedOutput output) {
        new CircuitBreakerTransitionLog(registry);
        CircuitBreaker slow = registry.get("slow");
        for (int i = 0; i < 4; i++) {
            slow.onSuccess(Duration.ofSeconds(2).toNanos());
        }
        registry.get("byHand").transitionToOpenState();
        registry.get("forced").transitionToForcedOpenState();

        assertThat(output).contains("Circuit breaker 'slow' is OPEN (from CLOSED): slow-call rate 100.0% reached its"
                + " threshold of 100.0% over 4 calls")
                .contains("Circuit breaker 'byHand' is OPEN (from CLOSED): opened by hand; it refuses calls for 10s")
                .contains("Circuit breaker 'forced' is FORCED_OPEN (from CLOSED): it refuses every call until its state"
                        + " is changed by hand");
    }

    @Test
    void anOpeningLearnedFromTheFleetNamesTheInstanceThatOpenedIt(CapturedOutput output) {
        InMemoryFleet fleet = new InMemoryFleet(ticker, Duration.ofSeconds(1));
        CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowSize(2).minimumNumberOfCalls(2)
                .waitDurationInOpenState(Duration.ofSeconds(10)).build();
        CircuitBreakerRegistry here = new CircuitBreakerRegistry(name -> SharedCircuitBreaker.start(name, config,
                ticker, TestSchedulers.never(), fleet.member("here")));
        new CircuitBreakerTransitionLog(here);
        here.get("partner");
        CircuitBreaker there = SharedCircuitBreaker.start("partner", config, ticker, TestSchedulers.never(),
                fleet.member("there"));
        there.onError(0, new IllegalStateException("down"));
        there.onError(0, new IllegalStateException("down"));

        assertThat(here.get("partner").getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(output).contains("Circuit breaker 'partner' is OPEN (from CLOSED): opened by instance there of the"
                + " fleet; it refuses calls for 10s");
    }
}
