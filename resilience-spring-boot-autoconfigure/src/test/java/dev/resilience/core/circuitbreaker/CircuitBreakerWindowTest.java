package dev.resilience.core.circuitbreaker;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.resilience.core.circuitbreaker.Calls.fail;
import static dev.resilience.core.circuitbreaker.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

/** When a CLOSED breaker opens: count and time windows, the minimum number of calls, slow calls. */
class CircuitBreakerWindowTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        return CircuitBreaker.of("test", config.build(), ticker, scheduler);
    }

    private static CircuitBreakerConfig.Builder countWindow(int size, int minimumCalls) {
        return CircuitBreakerConfig.builder()
                .slidingWindowSize(size)
                .minimumNumberOfCalls(minimumCalls)
                .failureRateThreshold(50);
    }

    @Test
    void tenthCallWithFiveFailuresOpensAtExactlyTheThreshold() {
        CircuitBreaker breaker = breaker(countWindow(10, 10));
        fail(breaker, 5);
        succeed(breaker, 4);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 9, 5, 0, 4, 0));

        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void ninthCallWithFiveFailuresDoesNotOpenBecauseTooFewCallsAreBuffered() {
        CircuitBreaker breaker = breaker(countWindow(10, 10));
        fail(breaker, 9);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(-1f);

        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void justBelowTheThresholdStaysClosedAndTheOldestCallLeavesAFullWindow() {
        CircuitBreaker breaker = breaker(countWindow(10, 10));
        fail(breaker);
        succeed(breaker, 6);
        fail(breaker, 3);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(40f, 0f, 10, 4, 0, 6, 0));

        // the 11th call, a failure, pushes out the 1st, also a failure: still 4 of 10
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(40f, 0f, 10, 4, 0, 6, 0));

        // the 12th, a failure, pushes out a success: 5 of 10
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void aFullWindowOfSuccessesNeverOpens() {
        CircuitBreaker breaker = breaker(countWindow(10, 10));
        succeed(breaker, 25);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(0f, 0f, 10, 0, 0, 10, 0));
    }

    @Test
    void aMinimumLargerThanTheCountWindowIsCappedAtTheWindowSize() {
        CircuitBreaker breaker = breaker(countWindow(5, 100));
        fail(breaker, 4);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(-1f);

        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void aMinimumSmallerThanTheWindowDecidesEarly() {
        CircuitBreaker breaker = breaker(countWindow(10, 4));
        succeed(breaker, 2);
        fail(breaker);

        assertThat(breaker.getMetrics().failureRate()).isEqualTo(-1f);

        succeed(breaker);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(25f);

        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics().failureRate()).isEqualTo(40f);

        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void aFractionalThresholdIsComparedAtOrAbove() {
        CircuitBreaker atThreshold = breaker(countWindow(3, 3).failureRateThreshold(33.333332f));
        fail(atThreshold);
        succeed(atThreshold, 2);
        assertThat(atThreshold.getState()).isEqualTo(State.OPEN);

        CircuitBreaker aboveRate = breaker(countWindow(3, 3).failureRateThreshold(33.34f));
        fail(aboveRate);
        succeed(aboveRate, 2);
        assertThat(aboveRate.getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void successfulSlowCallsOpenTheBreakerThroughTheSlowCallRate() {
        CircuitBreaker breaker = breaker(countWindow(4, 4)
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(50));
        succeed(breaker, Duration.ofSeconds(2).plusNanos(1));
        succeed(breaker, Duration.ofSeconds(2));
        succeed(breaker, Duration.ofMillis(10));

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 0, 1, 3, 0));

        succeed(breaker, Duration.ofSeconds(5));

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void slowCallsJustBelowTheSlowCallRateKeepItClosed() {
        CircuitBreaker breaker = breaker(countWindow(4, 4)
                .slowCallDurationThreshold(Duration.ofSeconds(2))
                .slowCallRateThreshold(50));
        succeed(breaker, Duration.ofSeconds(3));
        succeed(breaker, 3);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(0f, 25f, 4, 0, 1, 4, 0));
    }

    @Test
    void aSlowFailureCountsAsFailedAndAsSlow() {
        CircuitBreaker breaker = breaker(countWindow(4, 4)
                .failureRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .slowCallRateThreshold(100));
        fail(breaker, Duration.ofSeconds(1).plusNanos(1));
        succeed(breaker, 3);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(25f, 25f, 4, 1, 1, 3, 0));
    }

    @Test
    void timeWindowCountsTheCallsOfTheLastSeconds() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(5)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50));
        fail(breaker, 2);
        ticker.advance(Duration.ofSeconds(1));
        succeed(breaker);

        ticker.advance(Duration.ofMillis(3_999));
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 2, 0, 1, 0));

        // five seconds after the first calls, they have left the window
        ticker.advance(Duration.ofMillis(1));
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 1, 0, 0, 1, 0));

        fail(breaker);
        succeed(breaker, 2);
        // without the expiry this would be 3 failures of 6 and open
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(25f, 0f, 4, 1, 0, 3, 0));

        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void timeWindowOpensAtTheThresholdAcrossSeconds() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(5)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50));
        fail(breaker);
        ticker.advance(Duration.ofSeconds(2));
        fail(breaker);
        ticker.advance(Duration.ofSeconds(2));
        succeed(breaker);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);

        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void timeWindowEmptiesAfterALongSilenceAndKeepsCountingAfterwards() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(3)
                .minimumNumberOfCalls(10)
                .failureRateThreshold(50));
        for (int second = 0; second < 3; second++) {
            fail(breaker, 3);
            ticker.advance(Duration.ofSeconds(1));
        }
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(6);

        ticker.advance(Duration.ofSeconds(100));
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();

        fail(breaker, 2);
        ticker.advance(Duration.ofSeconds(1));
        fail(breaker, 2);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 4, 4, 0, 0, 0));
    }

    @Test
    void timeWindowMinimumIsNotCappedByTheNumberOfSeconds() {
        CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
                .slidingWindowType(SlidingWindowType.TIME_BASED)
                .slidingWindowSize(2)
                .minimumNumberOfCalls(6)
                .failureRateThreshold(50));
        fail(breaker, 5);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);

        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }
}
