package dev.resilience.integration;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.Timeout;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.integration.Support.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @Bulkhead} with {@code type: adaptive} through the auto-configuration: synchronous, CompletableFuture and
 * Mono methods share one limit, calls over it are refused with {@link BulkheadFullException}, and the limit moves
 * with the time the calls take on the application's ticker (AIMD here, whose steps are exact: a call longer than 5s
 * or timed out multiplies the limit by 0.9, a quick one with half the limit in flight adds one).
 */
class AdaptiveBulkheadInterceptorTest {

    private final ManualTicker ticker = new ManualTicker();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Ticker.class, () -> ticker)
            .withBean(Partner.class, () -> new Partner(ticker))
            .withPropertyValues(
                    "resilience.bulkhead.instances.partner.type=adaptive",
                    "resilience.bulkhead.instances.partner.limit-algorithm=aimd",
                    "resilience.bulkhead.instances.partner.initial-limit=3",
                    "resilience.timeout.instances.partner.timeout-duration=200ms");

    @Test
    void syncAsyncAndMonoCallsShareTheLimitAndTheOneOverItIsRefused() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            AdaptiveBulkhead bulkhead = (AdaptiveBulkhead) context.getBean(BulkheadRegistry.class).get("partner");

            CompletableFuture<String> first = partner.later();
            CompletableFuture<String> second = partner.later();
            CompletableFuture<String> third = partner.mono().toFuture();
            assertThat(bulkhead.getInFlightCalls()).isEqualTo(3);

            assertThat(Outcome.ofSync(() -> partner.took(Duration.ZERO)).failure())
                    .isInstanceOf(BulkheadFullException.class).hasMessageContaining("'partner'");
            assertThat(Outcome.ofAsync(partner.later()).failure()).isInstanceOf(BulkheadFullException.class);
            assertThat(Outcome.ofAsync(partner.mono().toFuture()).failure()).isInstanceOf(BulkheadFullException.class);

            ticker.advance(Duration.ofMillis(10));
            partner.pending().forEach(future -> future.complete("answer"));
            assertThat(List.of(first, second, third)).allSatisfy(f -> assertThat(f).isCompletedWithValue("answer"));
            // the calls started with 1, 2 and 3 of 3 in flight: the second and third add one each
            assertThat(bulkhead.getLimit()).isEqualTo(5);
            assertThat(bulkhead.getInFlightCalls()).isZero();
            assertThat(bulkhead.getMetrics().rejectedCalls()).isEqualTo(3);
        });
    }

    @Test
    void slowSynchronousCallsLowerTheLimit() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            AdaptiveBulkhead bulkhead = (AdaptiveBulkhead) context.getBean(BulkheadRegistry.class).get("partner");

            assertThat(partner.took(Duration.ofSeconds(6))).isEqualTo("took PT6S");
            assertThat(bulkhead.getLimit()).isEqualTo(2); // 3 × 0.9, rounded down
            assertThat(partner.took(Duration.ofSeconds(6))).isEqualTo("took PT6S");
            assertThat(bulkhead.getLimit()).isEqualTo(1);
            assertThat(partner.took(Duration.ofSeconds(6))).isEqualTo("took PT6S");
            assertThat(bulkhead.getLimit()).as("min-limit").isEqualTo(1);
        });
    }

    @Test
    void aCallItsTimeoutGivesUpIsADrop() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            AdaptiveBulkhead bulkhead = (AdaptiveBulkhead) context.getBean(BulkheadRegistry.class).get("partner");

            // the timeout around the bulkhead runs on the real scheduler: the future fails after 200ms
            Outcome outcome = Outcome.ofAsync(partner.timed());
            assertThat(outcome.failure()).isInstanceOf(TimeoutExceededException.class);
            await().atMost(Support.PATIENCE).until(() -> bulkhead.getInFlightCalls() == 0);
            assertThat(bulkhead.getAdaptiveMetrics().droppedCalls()).isEqualTo(1);
            assertThat(bulkhead.getLimit()).isEqualTo(2);
        });
    }

    static class Partner {

        final ManualTicker ticker;
        final List<CompletableFuture<String>> pending = new CopyOnWriteArrayList<>();

        Partner(ManualTicker ticker) {
            this.ticker = ticker;
        }

        /** Through a method: the bean handed out is a class proxy, whose own fields are empty. */
        public List<CompletableFuture<String>> pending() {
            return pending;
        }

        @Bulkhead("partner")
        public String took(Duration latency) {
            ticker.advance(latency);
            return "took " + latency;
        }

        @Bulkhead("partner")
        public CompletableFuture<String> later() {
            CompletableFuture<String> future = new CompletableFuture<>();
            pending.add(future);
            return future;
        }

        @Bulkhead("partner")
        public Mono<String> mono() {
            return Mono.fromFuture(this::later);
        }

        @Timeout("partner")
        @Bulkhead("partner")
        public CompletableFuture<String> timed() {
            return new CompletableFuture<>();
        }
    }
}
