package dev.resilience.reactor;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.aop.AsyncReturnType;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** Reactor's adapters are registered when reactor-core is on the class path, and only then; mistakes fail the start. */
class ReactorStartupTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class));

    @Test
    void withReactorBothAdaptersAreRegistered() {
        runner.run(context -> assertThat(context.getBeansOfType(AsyncReturnType.class))
                .containsOnlyKeys("resilienceMonoReturnType", "resilienceFluxReturnType"));
    }

    @Test
    void withoutReactorNothingIsRegisteredAndAsynchronousMethodsWorkAsBefore() {
        // an interface proxy: a class generated for a proxy could not be defined in the filtering class loader
        runner.withClassLoader(new FilteredClassLoader("reactor.", "org.reactivestreams."))
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .withBean(Loader.class, Futures::new)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).doesNotHaveBean(ResilienceReactorAutoConfiguration.class);
                    assertThat(context.getBeansOfType(AsyncReturnType.class)).isEmpty();
                    assertThat(context.getBean(Loader.class).load()).isCompletedWithValue("ok");
                    assertThat(context.getBean(Loader.class)).isInstanceOf(java.lang.reflect.Proxy.class);
                });
    }

    @Test
    void switchedOffWithTheRestOfTheStarter() {
        runner.withPropertyValues("resilience.enabled=false")
                .run(context -> assertThat(context.getBeansOfType(AsyncReturnType.class)).isEmpty());
    }

    @Test
    void aPublisherOfAnotherKindIsStillRefused() {
        runner.withBean(Publishers.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "is asynchronous (org.reactivestreams.Publisher) and not supported: declare Mono, Flux, "
                            + "CompletionStage or CompletableFuture");
        });
    }

    @Test
    void aFallbackThatDoesNotReturnTheSameReactiveTypeFailsTheStart() {
        runner.withBean(PlainFallback.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "Fallback method 'cold' for PlainFallback.load() does not match: expected a method named cold on "
                            + PlainFallback.class.getName() + " or a superclass, with parameters () or "
                            + "(<? extends Throwable>), returning a type assignable to Mono<String> (a method "
                            + "returning Mono needs a fallback returning Mono); found String cold() on "
                            + PlainFallback.class.getName());
        });
        runner.withBean(FluxFallback.class).run(context -> assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("Flux<String> cold(Throwable)").hasMessageContaining("is not assignable to Mono<String>"));
    }

    public interface Loader {

        CompletableFuture<String> load();
    }

    static class Futures implements Loader {

        @Override
        @CircuitBreaker
        public CompletableFuture<String> load() {
            return CompletableFuture.completedFuture("ok");
        }
    }

    static class Publishers {

        @CircuitBreaker
        public Publisher<String> load() {
            return Mono.just("value");
        }
    }

    static class PlainFallback {

        @Fallback("cold")
        public Mono<String> load() {
            return Mono.just("hot");
        }

        String cold() {
            return "cold";
        }
    }

    static class FluxFallback {

        @Fallback("cold")
        public Mono<String> load() {
            return Mono.just("hot");
        }

        Flux<String> cold(Throwable failure) {
            return Flux.just("cold");
        }
    }
}
