package dev.resilience.actuate;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.TimeoutExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code retries}, {@code timeouts} and {@code bulkheads} endpoints and the meters of the same kinds, after known
 * calls: the endpoint figures and the meter counts are the same exact numbers.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class PolicyEndpointsTest extends HttpTestSupport {

    @Test
    void retries() {
        remote.retried(new AtomicInteger(0));
        remote.retried(new AtomicInteger(0));
        assertThat(remote.retried(new AtomicInteger(2))).isEqualTo("done");
        quietly(() -> remote.retried(new AtomicInteger(5)));
        for (int i = 0; i < 3; i++) {
            quietly(remote::notRetried);
        }

        ResponseEntity<String> all = get("/actuator/retries");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(all).read("$.retries", Map.class)).containsKeys("retried", "idle");
        DocumentContext retried = json(get("/actuator/retries/retried"));
        assertThat(retried.read("$.settings.maxAttempts", Integer.class)).isEqualTo(3);
        assertThat(retried.read("$.settings.waitDuration", String.class)).isEqualTo("PT0S");
        assertThat(retried.read("$.settings.enableExponentialBackoff", Boolean.class)).isFalse();
        assertThat(retried.read("$.settings.ignoreExceptions", List.class))
                .containsExactly("java.lang.IllegalArgumentException");
        assertThat(retried.read("$.metrics", Map.class)).containsExactly(
                Map.entry("successfulCallsWithoutRetry", 2), Map.entry("successfulCallsWithRetry", 1),
                Map.entry("failedCallsWithRetry", 1), Map.entry("failedCallsWithoutRetry", 3),
                Map.entry("failedCallsBudgetExhausted", 0));
        assertThat(retried.read("$.settings.budget", Object.class)).isNull();

        assertThat(measurements("resilience.retry.calls", "name:retried", "kind:successful_without_retry"))
                .containsEntry("COUNT", 2.0);
        assertThat(measurements("resilience.retry.calls", "name:retried", "kind:successful_with_retry"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.retry.calls", "name:retried", "kind:failed_with_retry"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.retry.calls", "name:retried", "kind:failed_without_retry"))
                .containsEntry("COUNT", 3.0);
        assertThat(get("/actuator/retries/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void retryBudget() {
        for (int i = 0; i < 10; i++) {
            remote.budgeted(false);
        }
        // ten calls earned one retry, this one a tenth of another: one retry made, the next refused
        assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> remote.budgeted(true))
                .withMessage("partner down");

        DocumentContext budgeted = json(get("/actuator/retries/budgeted"));
        assertThat(budgeted.read("$.settings.budget", Map.class)).containsExactly(Map.entry("ratio", 0.1),
                Map.entry("minRetriesPerSecond", 0));
        assertThat(budgeted.read("$.metrics.failedCallsBudgetExhausted", Integer.class)).isEqualTo(1);
        assertThat(budgeted.read("$.metrics.successfulCallsWithoutRetry", Integer.class)).isEqualTo(10);
        assertThat(budgeted.read("$.metrics.budgetRetriesAvailable", Double.class)).isEqualTo(0.1);
        assertThat(measurements("resilience.retry.calls", "name:budgeted", "kind:budget_exhausted"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.retry.calls", "name:budgeted", "kind:failed_with_retry"))
                .containsEntry("COUNT", 0.0);
    }

    @Test
    void timeouts() throws InterruptedException {
        remote.timed(false, null);
        remote.timed(false, null);
        quietly(() -> call(() -> remote.timed(false, new IllegalStateException("failed in time"))));
        assertThatExceptionOfType(TimeoutExceededException.class).isThrownBy(() -> remote.timed(true, null));

        ResponseEntity<String> all = get("/actuator/timeouts");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(all).read("$.timeouts", Map.class)).containsKey("timed");
        DocumentContext timed = json(get("/actuator/timeouts/timed"));
        assertThat(timed.read("$.settings", Map.class)).containsExactly(
                Map.entry("timeoutDuration", "PT0.2S"), Map.entry("cancelRunningFuture", true));
        assertThat(timed.read("$.metrics", Map.class)).containsExactly(
                Map.entry("successfulCalls", 2), Map.entry("failedCalls", 1), Map.entry("timedOutCalls", 1));

        assertThat(measurements("resilience.timeout.calls", "name:timed", "kind:successful"))
                .containsEntry("COUNT", 2.0);
        assertThat(measurements("resilience.timeout.calls", "name:timed", "kind:failed"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.timeout.calls", "name:timed", "kind:timeout"))
                .containsEntry("COUNT", 1.0);
        assertThat(get("/actuator/timeouts/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void bulkheads() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<String> holder = CompletableFuture.supplyAsync(
                    () -> call(() -> remote.bulk(entered, release)), caller);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            // the one place is taken
            assertThat(json(get("/actuator/bulkheads/bulk")).read("$.metrics.availableConcurrentCalls", Integer.class))
                    .isZero();
            assertThat(measurements("resilience.bulkhead.available.concurrent.calls", "name:bulk"))
                    .containsEntry("VALUE", 0.0);
            assertThatExceptionOfType(BulkheadFullException.class)
                    .isThrownBy(() -> remote.bulk(new CountDownLatch(1), new CountDownLatch(0)));

            release.countDown();
            assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("through");
        }
        finally {
            release.countDown();
            caller.shutdownNow();
        }
        assertThat(remote.bulk(new CountDownLatch(1), new CountDownLatch(0))).isEqualTo("through");

        ResponseEntity<String> all = get("/actuator/bulkheads");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(all).read("$.bulkheads", Map.class)).containsKey("bulk");
        DocumentContext bulk = json(get("/actuator/bulkheads/bulk"));
        assertThat(bulk.read("$.settings", Map.class)).containsExactly(Map.entry("type", "semaphore"),
                Map.entry("maxConcurrentCalls", 1), Map.entry("maxWaitDuration", "PT0S"));
        assertThat(bulk.read("$.metrics", Map.class)).containsExactly(Map.entry("permittedCalls", 2),
                Map.entry("rejectedCalls", 1), Map.entry("availableConcurrentCalls", 1),
                Map.entry("maxConcurrentCalls", 1));

        assertThat(measurements("resilience.bulkhead.calls", "name:bulk", "kind:permitted"))
                .containsEntry("COUNT", 2.0);
        assertThat(measurements("resilience.bulkhead.calls", "name:bulk", "kind:rejected"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.bulkhead.available.concurrent.calls", "name:bulk"))
                .containsEntry("VALUE", 1.0);
        assertThat(measurements("resilience.bulkhead.max.allowed.concurrent.calls", "name:bulk"))
                .containsEntry("VALUE", 1.0);
        assertThat(get("/actuator/bulkheads/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    /** Calls a method that declares a checked exception, rethrowing it unchecked. */
    private static String call(CheckedCall call) {
        try {
            return call.run();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    @FunctionalInterface
    private interface CheckedCall {
        String run() throws InterruptedException;
    }
}
