package dev.resilience.actuate;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceEndpointsAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceEventPublisherAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceHealthAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceMetricsAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceObservationAutoConfiguration;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/** Which observability beans exist, and that each part backs off cleanly when what it needs is missing. */
class ObservabilityAutoConfigurationTest {

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceEventPublisherAutoConfiguration.class, ResilienceEndpointsAutoConfiguration.class,
                    ResilienceHealthAutoConfiguration.class, ResilienceMetricsAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=*")
            .withUserConfiguration(ClientConfiguration.class);

    @Test
    void registersEveryPartWhenActuatorAndMicrometerArePresent() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(CircuitBreakersEndpoint.class)
                    .hasSingleBean(CircuitBreakersEndpointWebExtension.class)
                    .hasSingleBean(CircuitBreakerEventsEndpoint.class)
                    .hasSingleBean(CircuitBreakerEventBuffers.class)
                    .hasSingleBean(RetriesEndpoint.class)
                    .hasSingleBean(TimeoutsEndpoint.class)
                    .hasSingleBean(BulkheadsEndpoint.class)
                    .hasSingleBean(CircuitBreakerMeterBinder.class)
                    .hasSingleBean(RetryMeterBinder.class)
                    .hasSingleBean(TimeoutMeterBinder.class)
                    .hasSingleBean(BulkheadMeterBinder.class)
                    .hasSingleBean(ObservationChainDecorator.class)
                    .hasSingleBean(CircuitBreakerStateChangePublisher.class);
            assertThat(context).getBean("circuitBreakersHealthIndicator")
                    .isInstanceOf(CircuitBreakersHealthIndicator.class);
        });
    }

    @Test
    void backsOffCleanlyWithoutTheActuator() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
                "org.springframework.boot.health")).run(context -> {
                    assertThat(context).hasNotFailed()
                            .doesNotHaveBean(CircuitBreakersEndpoint.class)
                            .doesNotHaveBean(CircuitBreakerEventsEndpoint.class)
                            .doesNotHaveBean(CircuitBreakerEventBuffers.class)
                            .doesNotHaveBean(RetriesEndpoint.class)
                            .doesNotHaveBean(CircuitBreakersHealthIndicator.class)
                            .hasSingleBean(CircuitBreakerMeterBinder.class)
                            .hasSingleBean(CircuitBreakerStateChangePublisher.class);
                    assertThat(context.getBean(Client.class).call()).isEqualTo("called");
                });
    }

    @Test
    void backsOffCleanlyWithoutMicrometer() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasNotFailed()
                    .doesNotHaveBean(CircuitBreakerMeterBinder.class)
                    .doesNotHaveBean(RetryMeterBinder.class)
                    .doesNotHaveBean(ObservationChainDecorator.class)
                    .hasSingleBean(CircuitBreakersEndpoint.class)
                    .hasSingleBean(CircuitBreakersHealthIndicator.class);
            assertThat(context.getBean(Client.class).call()).isEqualTo("called");
        });
    }

    @Test
    void theHealthIndicatorCanBeTurnedOff() {
        runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakersHealthIndicator.class)
                        .hasSingleBean(CircuitBreakersEndpoint.class));
    }

    @Test
    void theCircuitBreakersEndpointIsLeftOutWhenNotExposed() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceEndpointsAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(CircuitBreakersEndpoint.class)
                        .doesNotHaveBean(CircuitBreakerEventBuffers.class)
                        .hasSingleBean(CircuitBreakerRegistry.class));
    }

    @Test
    void nothingWhenResilienceIsSwitchedOff() {
        runner.withPropertyValues("resilience.enabled=false").run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(CircuitBreakersEndpoint.class)
                .doesNotHaveBean(CircuitBreakersHealthIndicator.class)
                .doesNotHaveBean(CircuitBreakerMeterBinder.class)
                .doesNotHaveBean(CircuitBreakerStateChangePublisher.class)
                .doesNotHaveBean(ObservationChainDecorator.class));
    }

    @Test
    void theApplicationsOwnHealthIndicatorWins() {
        runner.withBean("circuitBreakersHealthIndicator", CircuitBreakersHealthIndicator.class,
                () -> new CircuitBreakersHealthIndicator(new CircuitBreakerRegistry(
                        name -> dev.resilience.core.circuitbreaker.CircuitBreakerConfig.ofDefaults(),
                        System::nanoTime, TestSchedulers.never()), name -> true))
                .run(context -> assertThat(context).hasSingleBean(CircuitBreakersHealthIndicator.class));
    }

    @Test
    void observesAnnotatedCallsWhenTheApplicationHasAnObservationRegistry() {
        List<String> observed = new ArrayList<>();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                observed.add(context.getName() + " " + context.getLowCardinalityKeyValue("name").getValue() + " "
                        + context.getLowCardinalityKeyValue("outcome").getValue());
            }
        });
        runner.withBean(ObservationRegistry.class, () -> observations).run(context -> {
            assertThat(context.getBean(Client.class).call()).isEqualTo("called");
            assertThat(observed).containsExactly("resilience.call client success");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class ClientConfiguration {

        @Bean
        Client client() {
            return new Client();
        }
    }

    public static class Client {

        @CircuitBreaker("client")
        public String call() {
            return "called";
        }
    }
}
