package dev.resilience.integration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.actuate.RetryMeterBinder;
import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Ticker;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.retry.RetryRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A retry budget through annotated beans and the auto-configuration, on the context's manual ticker: the same
 * budget decides for synchronous, {@code CompletableFuture} and {@code Mono} methods, a refused retry is not made and
 * the method's own exception surfaces, and {@code resilience.retry.calls{kind=budget_exhausted}} counts it.
 */
class RetryBudgetIntegrationTest {

    private final ManualTicker ticker = new ManualTicker();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Ticker.class, () -> ticker)
            .withBean(AtomicInteger.class, AtomicInteger::new)
            .withBean(Partner.class)
            .withPropertyValues(
                    "resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=0",
                    "resilience.retry.instances.partner.budget.ratio=0.1",
                    "resilience.retry.instances.partner.budget.min-retries-per-second=2");

    @Test
    void syncAsyncAndMonoCallsShareOneBudgetAndARefusedRetryIsNotMade() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            AtomicInteger attempts = context.getBean(AtomicInteger.class);
            MeterRegistry meters = new SimpleMeterRegistry();
            new RetryMeterBinder(context.getBean(RetryRegistry.class)).bindTo(meters);
            dev.resilience.core.retry.Retry retry = context.getBean(RetryRegistry.class).get("partner");

            // 20 good calls earn 2 retries; with the reserve of 2, four retries in all
            for (int i = 0; i < 10; i++) {
                assertThat(partner.sync(false)).isEqualTo("ok");
                assertThat(partner.async(false).get(20, TimeUnit.SECONDS)).isEqualTo("ok");
            }
            assertThat(retry.getBudget().availableRetries()).isEqualTo(4);
            attempts.set(0);

            // a failing sync call: a deposit (0.1), two retries, the attempts exhausted
            assertThatThrownBy(() -> partner.sync(true)).isInstanceOf(PartnerDown.class);
            assertThat(attempts).hasValue(3);
            // a failing async call: a deposit (0.2 in all), two retries, the budget now holds 0.2
            assertThatThrownBy(() -> partner.async(true).join()).hasCauseInstanceOf(PartnerDown.class);
            assertThat(attempts).hasValue(6);
            // a failing Mono: its first retry is refused, the method's exception surfaces unchanged
            StepVerifier.create(partner.mono(true)).expectError(PartnerDown.class).verify(Duration.ofSeconds(20));
            assertThat(attempts).hasValue(7);
            assertThatThrownBy(() -> partner.sync(true)).isInstanceOf(PartnerDown.class).hasNoSuppressedExceptions();
            assertThat(attempts).hasValue(8);

            assertThat(retry.getMetrics()).isEqualTo(new RetryMetrics(20, 0, 2, 0, 2));
            assertThat(meters.get(RetryMeterBinder.CALLS).tags("name", "partner", "kind", "budget_exhausted")
                    .functionCounter().count()).isEqualTo(2.0);
            assertThat(meters.get(RetryMeterBinder.CALLS).tags("name", "partner", "kind", "failed_with_retry")
                    .functionCounter().count()).isEqualTo(2.0);

            // half a second later the reserve holds one retry again (2 a second)
            ticker.advance(Duration.ofMillis(500));
            attempts.set(0);
            StepVerifier.create(partner.mono(true)).expectError(PartnerDown.class).verify(Duration.ofSeconds(20));
            assertThat(attempts).hasValue(2);
            assertThat(retry.getMetrics().failedCallsBudgetExhausted()).isEqualTo(3);
        });
    }

    @Test
    void anInstanceWithoutABudgetRetriesAsBefore() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            AtomicInteger attempts = context.getBean(AtomicInteger.class);
            for (int i = 0; i < 5; i++) {
                assertThatThrownBy(partner::unbudgeted).isInstanceOf(PartnerDown.class);
            }
            assertThat(attempts).hasValue(15);
            assertThat(context.getBean(RetryRegistry.class).get("other").getBudget()).isNull();
        });
    }

    static final class PartnerDown extends RuntimeException {

        PartnerDown() {
            super("partner down", null, false, false);
        }
    }

    static class Partner {

        // a field of the target: the proxy has fields of its own
        private final AtomicInteger attempts;

        Partner(AtomicInteger attempts) {
            this.attempts = attempts;
        }

        @Retry("partner")
        public String sync(boolean fail) {
            attempts.incrementAndGet();
            if (fail) {
                throw new PartnerDown();
            }
            return "ok";
        }

        @Retry("partner")
        public CompletableFuture<String> async(boolean fail) {
            attempts.incrementAndGet();
            return fail ? CompletableFuture.failedFuture(new PartnerDown()) : CompletableFuture.completedFuture("ok");
        }

        @Retry("partner")
        public Mono<String> mono(boolean fail) {
            return Mono.defer(() -> {
                attempts.incrementAndGet();
                return fail ? Mono.error(new PartnerDown()) : Mono.just("ok");
            });
        }

        @Retry("other")
        public String unbudgeted() {
            attempts.incrementAndGet();
            throw new PartnerDown();
        }
    }
}
