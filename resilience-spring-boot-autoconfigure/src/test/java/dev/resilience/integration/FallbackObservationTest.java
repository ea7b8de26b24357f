package dev.resilience.integration;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.autoconfigure.ResilienceObservationAutoConfiguration;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The {@code resilience.call} observation says what the caller got: {@code fallback} when the fallback answered, with
 * the {@code cause} that made it answer, and the same keys on every call, sync and async.
 */
class FallbackObservationTest {

    private final List<String> observed = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = Support.runner()
            .withConfiguration(AutoConfigurations.of(ResilienceObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new ObservationHandler<>() {
                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }

                    @Override
                    public void onStop(Observation.Context context) {
                        observed.add(context.getLowCardinalityKeyValue("outcome").getValue() + "/"
                                + context.getLowCardinalityKeyValue("cause").getValue() + "/"
                                + context.getLowCardinalityKeyValue("fallback").getValue() + "/"
                                + context.getLowCardinalityKeyValue("circuitbreaker").getValue() + "/"
                                + context.getLowCardinalityKeyValue("retry").getValue() + "/"
                                + context.getLowCardinalityKeyValue("name").getValue());
                    }
                });
                return registry;
            })
            .withBean(Partner.class);

    @Test
    void aCallAnsweredByTheFallbackIsAFallbackWithItsCause() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);

            assertThat(partner.offer("ok")).isEqualTo("hot ok");
            assertThat(partner.offer("fail")).isEqualTo("cold fail");
            context.getBean(CircuitBreakerRegistry.class).get("partner").transitionToForcedOpenState();
            assertThat(partner.offer("ok")).isEqualTo("cold ok");

            assertThat(observed).containsExactly("success/none/true/partner/none/partner",
                    "fallback/failure/true/partner/none/partner", "fallback/not_permitted/true/partner/none/partner");
        });
    }

    @Test
    void anAsyncCallAnsweredByTheFallbackIsAFallbackWithItsCause() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);

            assertThat(partner.offerAsync("ok").join()).isEqualTo("hot ok");
            assertThat(partner.offerAsync("fail").join()).isEqualTo("cold fail");
            context.getBean(CircuitBreakerRegistry.class).get("partner").transitionToForcedOpenState();
            assertThat(partner.offerAsync("ok").join()).isEqualTo("cold ok");

            assertThat(observed).containsExactly("success/none/true/partner/none/partner",
                    "fallback/failure/true/partner/none/partner", "fallback/not_permitted/true/partner/none/partner");
        });
    }

    @Test
    void aFailureTheFallbackSkipsIsAFailureWithTheSameCause() {
        runner.run(context -> {
            assertThatIllegalArgumentException().isThrownBy(() -> context.getBean(Partner.class).offer("bad"));

            assertThat(observed).containsExactly("failure/failure/true/partner/none/partner");
        });
    }

    static class Partner {

        @Fallback(method = "cold", skipOn = IllegalArgumentException.class)
        @CircuitBreaker("partner")
        public String offer(String label) {
            return hot(label);
        }

        @Fallback(method = "coldAsync")
        @CircuitBreaker("partner")
        public CompletableFuture<String> offerAsync(String label) {
            try {
                return CompletableFuture.completedFuture(hot(label));
            }
            catch (IllegalStateException failure) {
                return CompletableFuture.failedFuture(failure);
            }
        }

        private static String hot(String label) {
            if (label.equals("fail")) {
                throw new IllegalStateException("partner down");
            }
            if (label.equals("bad")) {
                throw new IllegalArgumentException("bad request");
            }
            return "hot " + label;
        }

        String cold(String label, Throwable failure) {
            return "cold " + label;
        }

        CompletableFuture<String> coldAsync(String label, Throwable failure) {
            return CompletableFuture.completedFuture("cold " + label);
        }
    }
}
