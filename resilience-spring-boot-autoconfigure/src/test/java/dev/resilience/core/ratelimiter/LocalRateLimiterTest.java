package dev.resilience.core.ratelimiter;

import dev.resilience.core.Call;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The decisions of one limiter against a manual clock, with exact numbers. */
class LocalRateLimiterTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final ClockParker parker = new ClockParker(ticker);
    private final RecordingRateLimiterListener listener = new RecordingRateLimiterListener();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    private LocalRateLimiter limiter(int limit, Duration period, Duration timeout) {
        LocalRateLimiter limiter = new LocalRateLimiter("partner", RateLimiterConfig.builder().limitForPeriod(limit)
                .limitRefreshPeriod(period).timeoutDuration(timeout).build(), ticker, scheduler, parker);
        limiter.addListener(listener);
        return limiter;
    }

    /** Takes permits until one is refused; answers how many it got. */
    private static int permitsUntilRefused(RateLimiter limiter) {
        int permitted = 0;
        while (true) {
            try {
                limiter.acquirePermission();
                permitted++;
            } catch (RateLimitExceededException refused) {
                return permitted;
            }
        }
    }

    @Test
    void fivePerSecondRefusesTheSixthCallOfAPeriodAndTheNextPeriodAdmitsFiveAgain() {
        LocalRateLimiter limiter = limiter(5, SECOND, Duration.ZERO);

        for (int i = 0; i < 5; i++) {
            limiter.acquirePermission();
        }
        RateLimitExceededException sixth = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);

        assertThat(sixth.getName()).isEqualTo("partner");
        assertThat(sixth.getRetryAfter()).isEqualTo(SECOND);
        assertThat(sixth.getStackTrace()).isEmpty();
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(0, 0, 5, 1, 0));

        ticker.advance(Duration.ofMillis(999));
        assertThat(catchThrowableOfType(RateLimitExceededException.class, limiter::acquirePermission).getRetryAfter())
                .isEqualTo(Duration.ofMillis(1));

        ticker.advance(Duration.ofMillis(1));
        assertThat(limiter.getMetrics().availablePermissions()).isEqualTo(5);
        assertThat(permitsUntilRefused(limiter)).isEqualTo(5);
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(0, 0, 10, 3, 0));
        assertThat(parker.waits()).isEmpty();
    }

    @Test
    void unusedPermitsDoNotCarryOverAndPeriodsFollowFromTheLimitersCreation() {
        LocalRateLimiter limiter = limiter(5, SECOND, Duration.ZERO);
        ticker.advance(Duration.ofMillis(2500));

        // three periods without a call still make only five permits
        assertThat(permitsUntilRefused(limiter)).isEqualTo(5);
        // the third period started 2s after the creation, so it ends at 3s: half a second from now
        assertThat(catchThrowableOfType(RateLimitExceededException.class, limiter::acquirePermission).getRetryAfter())
                .isEqualTo(Duration.ofMillis(500));
        ticker.advance(Duration.ofMillis(500));
        assertThat(permitsUntilRefused(limiter)).isEqualTo(5);
    }

    @Test
    void aCallParksForAPermitOfTheNextPeriodWithinTheTimeout() {
        LocalRateLimiter limiter = limiter(1, SECOND, Duration.ofSeconds(2));

        limiter.acquirePermission();
        ticker.advance(Duration.ofMillis(250));
        limiter.acquirePermission();
        // the parker moved the clock to the start of the second period: its permit is taken, the next is 1s away
        limiter.acquirePermission();

        assertThat(parker.waits()).containsExactly(Duration.ofMillis(750), SECOND);
        assertThat(listener.events).containsExactly("permitted partner after 0ns",
                "permitted partner after 750000000ns", "permitted partner after 1000000000ns");
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(0, 0, 3, 0, 0));
    }

    @Test
    void aCallThatWouldWaitBeyondTheTimeoutIsRefusedAtOnceAndTakesNothing() {
        LocalRateLimiter limiter = limiter(1, SECOND, Duration.ofMillis(500));
        limiter.acquirePermission();

        RateLimitExceededException refused = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);

        assertThat(refused.getRetryAfter()).isEqualTo(SECOND);
        assertThat(parker.waits()).as("refused without waiting").isEmpty();
        assertThat(listener.events).containsExactly("permitted partner after 0ns",
                "rejected partner, retry after 1000000000ns");
        // the refusal took nothing: 400ms before the next period, its permit is the next one
        ticker.advance(Duration.ofMillis(600));
        limiter.acquirePermission();
        assertThat(parker.waits()).containsExactly(Duration.ofMillis(400));
    }

    @Test
    void anInterruptedWaitIsRefusedWithTheInterruptFlagSetAgain() {
        LocalRateLimiter limiter = limiter(1, SECOND, Duration.ofSeconds(5));
        limiter.acquirePermission();
        parker.interruptNext();

        RateLimitExceededException refused = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(refused.getRetryAfter()).isEqualTo(SECOND);
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(-1, 0, 1, 1, 0));
        Thread.interrupted();
        // the permit of the interrupted call stays used: the next call waits for the period after
        limiter.acquirePermission();
        assertThat(parker.waits()).containsExactly(SECOND, Duration.ofSeconds(2));
    }

    @Test
    void refusalsThatRoundToTheSameMillisecondShareOneException() {
        LocalRateLimiter limiter = limiter(1, SECOND, Duration.ZERO);
        limiter.acquirePermission();

        RateLimitExceededException first = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);
        ticker.advance(Duration.ofNanos(300_000));
        RateLimitExceededException second = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);
        ticker.advance(Duration.ofNanos(700_000));
        RateLimitExceededException third = catchThrowableOfType(RateLimitExceededException.class,
                limiter::acquirePermission);

        assertThat(second).as("999.7ms rounds up to 1000ms").isSameAs(first);
        assertThat(third).isNotSameAs(first);
        assertThat(third.getRetryAfter()).isEqualTo(Duration.ofMillis(999));
        assertThat(third).hasMessage("RateLimiter 'partner' does not permit further calls: retry after 999ms");
        assertThat(limiter.getMetrics().rejectedCalls()).isEqualTo(3);
    }

    @Test
    void theDecoratedCallTakesAPermitBeforeItProceeds() throws Throwable {
        LocalRateLimiter limiter = limiter(2, SECOND, Duration.ZERO);
        List<String> ran = new ArrayList<>();
        Call<String> call = limiter.decorate(context -> {
            ran.add(context);
            return "answer to " + context;
        });

        assertThat(call.invoke("a")).isEqualTo("answer to a");
        assertThat(call.invoke("b")).isEqualTo("answer to b");
        assertThatThrownBy(() -> call.invoke("c")).isInstanceOf(RateLimitExceededException.class);

        assertThat(ran).containsExactly("a", "b");
    }

    @Test
    void theDecoratedCallsOfOneLimiterShareItsLimit() throws Throwable {
        LocalRateLimiter limiter = limiter(3, SECOND, Duration.ZERO);
        Call<Object> one = limiter.decorate(context -> "one");
        Call<Object> other = limiter.decorate(context -> "other");

        one.invoke(null);
        other.invoke(null);
        one.invoke(null);

        assertThatThrownBy(() -> other.invoke(null)).isInstanceOf(RateLimitExceededException.class);
    }
}
