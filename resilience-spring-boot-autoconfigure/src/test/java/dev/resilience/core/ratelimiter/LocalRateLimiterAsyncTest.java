package dev.resilience.core.ratelimiter;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An asynchronous call never blocks a thread: a refusal is a failed future at once, and a call that waits for a
 * permit of a later period gets a pending future that the scheduler starts when that period begins.
 */
class LocalRateLimiterAsyncTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final LocalRateLimiter limiter = new LocalRateLimiter("partner", RateLimiterConfig.builder()
            .limitForPeriod(1).limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofSeconds(2))
            .build(), ticker, scheduler, nanos -> {
                throw new AssertionError("an asynchronous call must never park a thread");
            });
    /** The stage each invocation of the method returned, in order. */
    private final List<CompletableFuture<Object>> invoked = new CopyOnWriteArrayList<>();
    private final AsyncCall<Object> call = limiter.decorateAsync(context -> {
        CompletableFuture<Object> stage = new CompletableFuture<>();
        invoked.add(stage);
        return stage;
    });

    private CompletableFuture<Object> invoke() {
        return call.invoke(null).toCompletableFuture();
    }

    @Test
    void aPermittedCallGetsTheMethodsOwnStage() {
        CompletableFuture<Object> first = invoke();

        assertThat(invoked).hasSize(1);
        assertThat(first).isSameAs(invoked.get(0));
    }

    @Test
    void aCallBeyondTheTimeoutIsAFailedFutureAtOnce() {
        invoke();
        CompletableFuture<Object> second = invoke();
        CompletableFuture<Object> third = invoke();

        CompletableFuture<Object> fourth = invoke();

        assertThat(fourth).isCompletedExceptionally();
        assertThatThrownBy(fourth::join).cause().isInstanceOfSatisfying(RateLimitExceededException.class,
                refused -> assertThat(refused.getRetryAfter()).isEqualTo(Duration.ofSeconds(3)));
        assertThat(second).isNotDone();
        assertThat(third).isNotDone();
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(-2, 2, 1, 1, 0));
    }

    @Test
    void aWaitingCallStartsOnTheSchedulerWhenItsPeriodBegins() {
        invoke();
        ticker.advance(Duration.ofMillis(400));
        CompletableFuture<Object> second = invoke();

        assertThat(scheduler.pendingDelays()).containsExactly(Duration.ofMillis(600));
        assertThat(invoked).hasSize(1);

        scheduler.advance(Duration.ofMillis(599));
        assertThat(invoked).hasSize(1);
        scheduler.advance(Duration.ofMillis(1));

        assertThat(invoked).as("the timer handed it to the work executor, which ran it").hasSize(2);
        assertThat(limiter.getMetrics().waitingCalls()).isZero();
        assertThat(second).isNotDone();
        invoked.get(1).complete("late");
        assertThat(second).isCompletedWithValue("late");
        assertThat(limiter.getMetrics().permittedCalls()).isEqualTo(2);
    }

    @Test
    void cancellingAWaitingCallWithdrawsItAndTheMethodNeverRuns() {
        invoke();
        CompletableFuture<Object> second = invoke();

        second.cancel(true);

        assertThat(scheduler.pendingCount()).isZero();
        assertThat(limiter.getMetrics()).isEqualTo(new RateLimiterMetrics(-1, 0, 1, 0, 0));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(invoked).hasSize(1);
    }

    @Test
    void cancellingAStartedCallCancelsTheMethodsStage() {
        invoke();
        CompletableFuture<Object> second = invoke();
        scheduler.advance(Duration.ofSeconds(1));

        second.cancel(true);

        assertThat(invoked.get(1)).isCancelled();
    }

    @Test
    void aNullStageAndAThrowingMethodAreFailedStages() {
        LocalRateLimiter open = new LocalRateLimiter("open", RateLimiterConfig.ofDefaults(), ticker, scheduler);

        assertThatThrownBy(() -> open.decorateAsync(context -> null).invoke(null).toCompletableFuture().join())
                .cause().isInstanceOf(NullPointerException.class)
                .hasMessage("The call protected by rate limiter 'open' returned null instead of a CompletionStage");
        IllegalStateException broken = new IllegalStateException("broken");
        assertThat(open.decorateAsync(context -> {
            throw broken;
        }).invoke(null).toCompletableFuture()).isCompletedExceptionally();
    }

    @Test
    void aKeyThatCannotBeComputedIsAFailedStageAndTheMethodDoesNotRun() {
        IllegalArgumentException noKey = new IllegalArgumentException("no key");
        CompletableFuture<Object> result = limiter.decorateAsync((AsyncCall<Object>) context -> {
            invoked.add(new CompletableFuture<>());
            return CompletableFuture.completedFuture("ran");
        }, context -> {
            throw noKey;
        }).invoke(null).toCompletableFuture();

        assertThatThrownBy(result::join).cause().isSameAs(noKey);
        assertThat(invoked).isEmpty();
    }
}
