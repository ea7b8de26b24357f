package dev.resilience.core.retry;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.offset;

/** A retry with a budget: which retries it makes, what surfaces when the budget refuses one, how it is counted. */
class RetryWithBudgetTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final RecordingRetryListener listener = new RecordingRetryListener();
    private final AtomicInteger attempts = new AtomicInteger();

    private Retry retry(double ratio, int minRetriesPerSecond, int maxAttempts) {
        RetryConfig config = RetryConfig.builder().maxAttempts(maxAttempts).waitDuration(Duration.ofMillis(100))
                .budget(new RetryConfig.Budget(ratio, minRetriesPerSecond)).build();
        Retry retry = new Retry("budgeted", config, scheduler, sleeper, () -> 0.0, ticker);
        retry.addListener(listener);
        return retry;
    }

    private final Call<String> succeeding = context -> {
        attempts.incrementAndGet();
        return "ok";
    };

    private Call<String> failingAlways(IllegalStateException failure) {
        return context -> {
            attempts.incrementAndGet();
            throw failure;
        };
    }

    private static void calls(Retry retry, Call<String> call, int times) throws Throwable {
        Call<String> decorated = retry.decorate(call);
        for (int i = 0; i < times; i++) {
            decorated.invoke("context");
        }
    }

    @Test
    void aRetryTheBudgetRefusesIsNotMadeAndTheFailureSurfacesUnchanged() throws Throwable {
        Retry retry = retry(0.1, 0, 3);
        calls(retry, succeeding, 10);
        attempts.set(0);
        IllegalStateException failure = new IllegalStateException("down");

        Throwable thrown = catchThrowable(() -> retry.decorate(failingAlways(failure)).invoke("context"));

        // 10 calls earned one retry and this call a tenth of one: the first retry is made, the second refused
        assertThat(thrown).isSameAs(failure);
        assertThat(failure.getSuppressed()).isEmpty();
        assertThat(attempts).hasValue(2);
        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100));
        assertThat(listener.events).endsWith(
                "retry budgeted attempt=1 error=down wait=100000000",
                "budget exhausted attempts=2 error=down");
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(10, 0, 0, 0, 1));
        assertThat(retry.getBudget().availableRetries()).isCloseTo(0.1, offset(1e-9));
    }

    @Test
    void withNoBudgetLeftTheFirstFailureSurfacesAtOnce() {
        Retry retry = retry(0.1, 0, 5);
        IllegalStateException failure = new IllegalStateException("down");

        Throwable thrown = catchThrowable(() -> retry.decorate(failingAlways(failure)).invoke("context"));

        assertThat(thrown).isSameAs(failure);
        assertThat(attempts).hasValue(1);
        assertThat(sleeper.waits()).isEmpty();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0, 1));
    }

    @Test
    void exhaustedAttemptsStayCountedAsBeforeWithTheBudgetUntouchedByTheLastFailure() throws Throwable {
        Retry retry = retry(0.1, 10, 3);
        IllegalStateException failure = new IllegalStateException("down");

        Throwable thrown = catchThrowable(() -> retry.decorate(failingAlways(failure)).invoke("context"));

        // two retries from the reserve; the third failure ends the attempts, which asks nothing of the budget
        assertThat(thrown).isSameAs(failure);
        assertThat(attempts).hasValue(3);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0, 0));
        assertThat(retry.getBudget().availableRetries()).isCloseTo(8.1, offset(1e-9));
    }

    @Test
    void aFailureThatIsNotRetriedTakesNothingFromTheBudget() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ZERO)
                .ignoreExceptions(java.util.List.of(IllegalArgumentException.class))
                .budget(new RetryConfig.Budget(0.5, 0)).build();
        Retry retry = new Retry("budgeted", config, scheduler, sleeper, () -> 0.0, ticker);
        retry.decorate(succeeding);

        catchThrowable(() -> retry.decorate(context -> {
            throw new IllegalArgumentException("bad input");
        }).invoke("context"));

        assertThat(retry.getBudget().availableRetries()).isEqualTo(0.5);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1, 0));
    }

    @Test
    void theReserveLetsAQuietServiceRetryAgainAsTimePasses() throws Throwable {
        Retry retry = retry(0.1, 1, 2);
        AtomicInteger failuresLeft = new AtomicInteger();
        Call<String> failsOnce = context -> {
            attempts.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("blip");
            }
            return "ok";
        };

        failuresLeft.set(1);
        assertThat(retry.decorate(failsOnce).invoke("context")).isEqualTo("ok");
        failuresLeft.set(1);
        assertThat(catchThrowable(() -> retry.decorate(failsOnce).invoke("context"))).hasMessage("blip");
        ticker.advance(Duration.ofSeconds(1));
        failuresLeft.set(1);
        assertThat(retry.decorate(failsOnce).invoke("context")).isEqualTo("ok");

        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 2, 0, 0, 1));
    }

    @Test
    void asyncCallsDepositAndARefusedRetryCompletesWithTheFailure() {
        Retry retry = retry(0.1, 0, 3);
        AsyncCall<String> ok = context -> CompletableFuture.completedFuture("ok");
        for (int i = 0; i < 10; i++) {
            retry.decorateAsync(ok).invoke("context");
        }
        IllegalStateException failure = new IllegalStateException("down");
        AsyncCall<String> failing = context -> {
            attempts.incrementAndGet();
            return CompletableFuture.failedFuture(failure);
        };

        CompletionStage<Object> stage = retry.decorateAsync(failing).invoke("context");
        assertThat(attempts).hasValue(1);
        scheduler.advance(Duration.ofMillis(100));

        AtomicReference<Throwable> outcome = new AtomicReference<>();
        stage.whenComplete((value, error) -> outcome.set(error));
        assertThat(attempts).hasValue(2);
        assertThat(outcome.get()).isSameAs(failure);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(10, 0, 0, 0, 1));
        assertThat(listener.events).endsWith(
                "retry budgeted attempt=1 error=down wait=100000000",
                "budget exhausted attempts=2 error=down");
    }

    @Test
    void withoutABudgetNothingChanges() {
        RetryConfig config = RetryConfig.builder().waitDuration(Duration.ZERO).build();
        Retry retry = new Retry("plain", config, scheduler, sleeper, () -> 0.0, ticker);

        assertThat(retry.getBudget()).isNull();
        assertThat(catchThrowable(() -> retry.decorate(failingAlways(new IllegalStateException("x"))).invoke("c")))
                .hasMessage("x");
        assertThat(attempts).hasValue(3);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0, 0));
    }
}
