package dev.resilience.aop;

import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SubmissionPublisher;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A method whose return type is asynchronous in a way no adapter supports is never protected as if it were
 * synchronous (that would time, count and retry only the creation of its result): the start fails naming the bean
 * class, the method and the type.
 */
class UnsupportedReturnTypesTest {

    private final TestPolicies policies = new TestPolicies();

    @ParameterizedTest
    @ValueSource(classes = {Futures.class, FlowPublishers.class, Publishers.class, Monos.class, Fluxes.class})
    void anAsynchronousReturnTypeWithoutAnAdapterFailsTheStart(Class<?> beanClass) {
        policies.runner().withBean(beanClass).run((AssertableApplicationContext context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && failure.getClass() != ResilienceAnnotationException.class) {
                failure = failure.getCause();
            }
            assertThat(failure).isNotNull();
            assertThat(failure.getMessage())
                    .startsWith("Cannot apply resilience annotations to " + beanClass.getSimpleName() + ".load() of bean class "
                            + beanClass.getName() + ": the return type ")
                    .contains("is asynchronous", "not supported", "declare CompletionStage or CompletableFuture");
            assertThat(policies.log).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(classes = {Futures.class, Monos.class})
    void theMessageNamesTheAsynchronousTypeFound(Class<?> beanClass) {
        policies.runner().withBean(beanClass).run((AssertableApplicationContext context) -> {
            String expected = beanClass == Futures.class ? "(java.util.concurrent.Future)"
                    : "(org.reactivestreams.Publisher)";
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(expected);
        });
    }

    static class Futures {

        @Retry
        public Future<String> load() {
            return new FutureTask<>(() -> "value");
        }
    }

    static class FlowPublishers {

        @CircuitBreaker
        public Flow.Publisher<String> load() {
            return new SubmissionPublisher<>();
        }
    }

    static class Publishers {

        @CircuitBreaker
        public Publisher<String> load() {
            return Mono.just("value");
        }
    }

    static class Monos {

        @Retry
        @CircuitBreaker
        public Mono<String> load() {
            return Mono.just("value");
        }
    }

    static class Fluxes {

        @CircuitBreaker
        public Flux<String> load() {
            return Flux.just("value");
        }
    }
}
