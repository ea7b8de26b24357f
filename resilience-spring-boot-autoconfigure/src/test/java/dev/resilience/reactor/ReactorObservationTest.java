package dev.resilience.reactor;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceObservationAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code resilience.call} observation of a protected {@code Mono} or {@code Flux} is one per subscription,
 * started when it subscribes, and says what the subscriber got, with the cause that made the fallback answer.
 */
class ReactorObservationTest {

    private final List<String> observed = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class, ResilienceObservationAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> {
                ObservationRegistry registry = ObservationRegistry.create();
                registry.observationConfig().observationHandler(new ObservationHandler<>() {
                    @Override
                    public boolean supportsContext(Observation.Context context) {
                        return true;
                    }

                    @Override
                    public void onStart(Observation.Context context) {
                        observed.add("start");
                    }

                    @Override
                    public void onStop(Observation.Context context) {
                        observed.add(context.getLowCardinalityKeyValue("outcome").getValue() + "/"
                                + context.getLowCardinalityKeyValue("cause").getValue());
                    }
                });
                return registry;
            })
            .withBean(Partner.class);

    @Test
    void oneObservationPerSubscriptionSayingWhatTheSubscriberGot() {
        runner.run(context -> {
            Partner partner = context.getBean(Partner.class);
            Mono<String> ok = partner.offer("ok");
            assertThat(observed).isEmpty();

            StepVerifier.create(ok).expectNext("hot ok").expectComplete().verify(ReactorMonoTest.PATIENCE);
            StepVerifier.create(ok).expectNext("hot ok").expectComplete().verify(ReactorMonoTest.PATIENCE);
            StepVerifier.create(partner.offer("fail")).expectNext("cold fail").expectComplete()
                    .verify(ReactorMonoTest.PATIENCE);
            context.getBean(CircuitBreakerRegistry.class).get("partner").transitionToForcedOpenState();
            StepVerifier.create(partner.offers("ok")).expectNext("cold ok").expectComplete()
                    .verify(ReactorMonoTest.PATIENCE);

            assertThat(observed).containsExactly("start", "success/none", "start", "success/none",
                    "start", "fallback/failure", "start", "fallback/not_permitted");
        });
    }

    static class Partner {

        @CircuitBreaker("partner")
        @Fallback("cold")
        public Mono<String> offer(String id) {
            return "fail".equals(id) ? Mono.error(new IllegalStateException(id)) : Mono.just("hot " + id);
        }

        @CircuitBreaker("partner")
        @Fallback("coldMany")
        public Flux<String> offers(String id) {
            return Flux.just("hot " + id);
        }

        Mono<String> cold(String id, Throwable failure) {
            return Mono.just("cold " + id);
        }

        Flux<String> coldMany(String id, Throwable failure) {
            return Flux.just("cold " + id);
        }
    }
}
