package dev.resilience.core.retry;

import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RetryTest {

    private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker());
    private final RecordingSleeper sleeper = new RecordingSleeper();
    private final RecordingRetryListener listener = new RecordingRetryListener();
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void clearInterruptFlag() {
        Thread.interrupted();
    }

    private Retry retry(RetryConfig.Builder config) {
        Retry retry = new Retry("test", config.build(), scheduler, sleeper, () -> 0.0);
        retry.addListener(listener);
        return retry;
    }

    private static RetryConfig.Builder config() {
        return RetryConfig.builder().waitDuration(Duration.ofMillis(100));
    }

    /** A step that throws the given throwables one per call, then returns "ok". */
    private Call<String> failing(Throwable... failures) {
        Iterator<Throwable> remaining = List.of(failures).iterator();
        return context -> {
            calls.incrementAndGet();
            if (remaining.hasNext()) {
                throw remaining.next();
            }
            return "ok";
        };
    }

    private static Throwable call(Call<String> call) {
        return catchThrowable(() -> call.invoke("context"));
    }

    @Test
    void successOnTheFirstAttemptCallsOnceAndNeverWaits() throws Throwable {
        Retry retry = retry(config());
        List<String> contexts = new ArrayList<>();

        Object result = retry.<String>decorate(context -> {
            contexts.add(context);
            return "value";
        }).invoke("context");

        assertThat(result).isEqualTo("value");
        assertThat(contexts).containsExactly("context");
        assertThat(sleeper.waits()).isEmpty();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(1, 0, 0, 0));
        assertThat(listener.events).containsExactly("success attempts=1");
    }

    @Test
    void succeedsAfterRetriesWaitingBetweenAttempts() throws Throwable {
        Retry retry = retry(config().maxAttempts(3).enableExponentialBackoff(true));

        Object result = retry.decorate(failing(new IOException("a"), new IOException("b"))).invoke("context");

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        // Resilience4j's default multiplier, 1.5
        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150));
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 1, 0, 0));
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=a wait=100000000",
                "retry test attempt=2 error=b wait=150000000",
                "success attempts=3");
    }

    @Test
    void maxAttemptsCountsTheFirstCall() {
        Retry retry = retry(config().maxAttempts(4));

        call(retry.decorate(failing(new IOException("1"), new IOException("2"), new IOException("3"),
                new IOException("4"), new IOException("5"))));

        assertThat(calls).hasValue(4);
        assertThat(sleeper.waits()).hasSize(3);
    }

    @Test
    void exhaustedRetriesRethrowTheLastExceptionUnchanged() {
        Retry retry = retry(config().maxAttempts(3));
        IOException last = new IOException("third");

        Throwable thrown = call(retry.decorate(failing(new IOException("first"), new IOException("second"), last)));

        assertThat(thrown).isSameAs(last);
        assertThat(thrown.getSuppressed()).isEmpty();
        assertThat(calls).hasValue(3);
        assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(100));
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=first wait=100000000",
                "retry test attempt=2 error=second wait=100000000",
                "error attempts=3 error=third");
    }

    @Test
    void singleAttemptFailsWithoutAWaitAndCountsLikeResilience4jAsFailedWithRetry() {
        Retry retry = retry(config().maxAttempts(1));
        IOException failure = new IOException("only");

        Throwable thrown = call(retry.decorate(failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.waits()).isEmpty();
        // a retryable failure that used up the attempts: Resilience4j counts it "with retry", even with max-attempts 1
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
        assertThat(listener.events).containsExactly("error attempts=1 error=only");
    }

    @Test
    void onlyListedRetryExceptionsAndTheirSubclassesAreRetried() throws Throwable {
        Retry retry = retry(config().retryExceptions(List.of(IOException.class)));
        IllegalStateException notListed = new IllegalStateException("not listed");

        Object subclassResult = retry.decorate(failing(new FileNotFoundException("subclass"))).invoke("context");
        Throwable thrown = call(retry.decorate(failing(notListed)));

        assertThat(subclassResult).isEqualTo("ok");
        assertThat(thrown).isSameAs(notListed);
        assertThat(calls).hasValue(3);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 1, 0, 1));
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=subclass wait=100000000",
                "success attempts=2",
                "ignored error=not listed");
    }

    @Test
    void ignoreExceptionsWinOverRetryExceptions() {
        Retry retry = retry(config().retryExceptions(List.of(IOException.class))
                .ignoreExceptions(List.of(FileNotFoundException.class)));
        FileNotFoundException ignored = new FileNotFoundException("ignored");

        Throwable thrown = call(retry.decorate(failing(ignored)));

        assertThat(thrown).isSameAs(ignored);
        assertThat(calls).hasValue(1);
        assertThat(sleeper.waits()).isEmpty();
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1));
        assertThat(listener.events).containsExactly("ignored error=ignored");
    }

    @Test
    void aNonRetryableFailureAfterARetryCountsAsFailedWithoutRetryAsInResilience4j() {
        Retry retry = retry(config().retryExceptions(List.of(IOException.class)));
        IllegalStateException notListed = new IllegalStateException("second");

        Throwable thrown = call(retry.decorate(failing(new IOException("first"), notListed)));

        assertThat(thrown).isSameAs(notListed);
        assertThat(calls).hasValue(2);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1));
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=first wait=100000000",
                "ignored error=second");
    }

    @Test
    void circuitBreakerOpenIsNotRetriedByDefault() {
        Retry retry = retry(config());
        CircuitBreakerOpenException open = new CircuitBreakerOpenException("breaker", "OPEN");

        Throwable thrown = call(retry.decorate(failing(open)));

        assertThat(thrown).isSameAs(open);
        assertThat(calls).hasValue(1);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 1));
    }

    @Test
    void circuitBreakerOpenIsRetriedWhenEnabled() throws Throwable {
        Retry retry = retry(config().retryOnCircuitBreakerOpen(true));

        Object result = retry.decorate(failing(new CircuitBreakerOpenException("breaker", "OPEN"),
                new CircuitBreakerOpenException("breaker", "HALF_OPEN"))).invoke("context");

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(3);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 1, 0, 0));
    }

    @Test
    void errorsAreNotRetriedByDefaultNorThroughThrowableInTheList() {
        Retry byDefault = retry(config());
        Retry throwableListed = retry(config().retryExceptions(List.of(Throwable.class)));
        TransientError first = new TransientError("first");
        TransientError second = new TransientError("second");

        assertThat(call(byDefault.decorate(failing(first)))).isSameAs(first);
        assertThat(call(throwableListed.decorate(failing(second)))).isSameAs(second);
        assertThat(calls).hasValue(2);
        assertThat(sleeper.waits()).isEmpty();
    }

    @Test
    void errorsAreRetriedWhenAnErrorTypeIsListed() throws Throwable {
        Retry retry = retry(config().retryExceptions(List.of(IOException.class, TransientError.class)));

        Object result = retry.decorate(failing(new TransientError("first"))).invoke("context");

        assertThat(result).isEqualTo("ok");
        assertThat(calls).hasValue(2);
    }

    @Test
    void interruptedWaitStopsRetryingAndRestoresTheFlag() {
        sleeper.interruptOnWait(1);
        Retry retry = retry(config().maxAttempts(5));
        IOException failure = new IOException("first");

        Throwable thrown = call(retry.decorate(failing(failure, new IOException("never thrown"))));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(calls).hasValue(1);
        // a retryable failure whose retries ended: failed with retry
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=first wait=100000000",
                "error attempts=1 error=first");
    }

    @Test
    void interruptedLaterWaitCountsAsFailedWithRetry() {
        sleeper.interruptOnWait(2);
        Retry retry = retry(config().maxAttempts(5));
        IOException second = new IOException("second");

        Throwable thrown = call(retry.decorate(failing(new IOException("first"), second, new IOException("third"))));

        assertThat(Thread.interrupted()).isTrue();
        assertThat(thrown).isSameAs(second);
        assertThat(calls).hasValue(2);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 1, 0));
        assertThat(listener.events).endsWith("error attempts=2 error=second");
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void systemSleeperEndsTheWaitOnInterrupt() throws Throwable {
        Retry retry = new Retry("system", config().waitDuration(Duration.ofDays(1)).build(), scheduler);
        IOException failure = new IOException("first");
        Thread.currentThread().interrupt();

        Throwable thrown = call(retry.decorate(failing(failure)));

        assertThat(thrown).isSameAs(failure);
        assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void metricsAddUpOverManyCalls() throws Throwable {
        Retry retry = retry(config().maxAttempts(2).retryExceptions(List.of(IOException.class)));

        retry.decorate(failing()).invoke("context");
        retry.decorate(failing()).invoke("context");
        retry.decorate(failing(new IOException("retried"))).invoke("context");
        call(retry.decorate(failing(new IOException("1"), new IOException("2"))));
        call(retry.decorate(failing(new IOException("1"), new IOException("2"))));
        call(retry.decorate(failing(new IOException("1"), new IOException("2"))));
        call(retry.decorate(failing(new IllegalStateException("not retried"))));

        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(2, 1, 3, 1));
    }

    @Test
    void listenerFailuresNeverBreakACall() throws Throwable {
        Retry retry = retry(config().maxAttempts(2));
        retry.addListener(new RetryListener() {
            @Override
            public void onRetry(Retry r, int attempt, Throwable error, long waitNanos) {
                throw new IllegalStateException("listener");
            }

            @Override
            public void onSuccess(Retry r, int attempts) {
                throw new IllegalStateException("listener");
            }

            @Override
            public void onError(Retry r, int attempts, Throwable error) {
                throw new IllegalStateException("listener");
            }
        });
        retry.addListener(listener);
        IOException last = new IOException("2");

        Object result = retry.decorate(failing(new IOException("1"))).invoke("context");
        Throwable thrown = call(retry.decorate(failing(new IOException("1"), last)));

        assertThat(result).isEqualTo("ok");
        assertThat(thrown).isSameAs(last);
        // the recording listener, registered before and after the failing one, hears everything twice
        assertThat(listener.events).containsExactly(
                "retry test attempt=1 error=1 wait=100000000", "retry test attempt=1 error=1 wait=100000000",
                "success attempts=2", "success attempts=2",
                "retry test attempt=1 error=1 wait=100000000", "retry test attempt=1 error=1 wait=100000000",
                "error attempts=2 error=2", "error attempts=2 error=2");
    }

    @Test
    void exposesNameAndConfig() {
        RetryConfig config = config().maxAttempts(7).build();
        Retry retry = new Retry("named", config, scheduler);

        assertThat(retry.getName()).isEqualTo("named");
        assertThat(retry.getConfig()).isSameAs(config);
        assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(0, 0, 0, 0));
    }

    @Test
    void registryCreatesOneInstancePerNameFromItsConfig() {
        RetryRegistry registry = new RetryRegistry(
                name -> RetryConfig.builder().maxAttempts(name.length()).build(), scheduler);

        Retry first = registry.get("four");
        Retry again = registry.get("four");
        Retry other = registry.get("seven!!");

        assertThat(again).isSameAs(first);
        assertThat(first.getName()).isEqualTo("four");
        assertThat(first.getConfig().maxAttempts()).isEqualTo(4);
        assertThat(other.getConfig().maxAttempts()).isEqualTo(7);
        assertThat(registry.getAll()).containsExactlyInAnyOrder(first, other);
    }

    static final class TransientError extends Error {

        private static final long serialVersionUID = 1L;

        TransientError(String message) {
            super(message);
        }
    }
}
