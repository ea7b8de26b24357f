package dev.resilience.reactor;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;
import dev.resilience.autoconfigure.ResilienceReactorAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Micrometer's context-propagation library on the class path, every attempt of a protected {@code Mono} or
 * {@code Flux} runs with the thread-locals its subscriber had (the MDC, through an accessor registered for it; the
 * current observation): those of the subscribing thread and those in its Reactor {@code Context}, also on the
 * threads a retry runs its later attempts on.
 */
class ReactorThreadLocalsTest {

    private static final Duration PATIENCE = ReactorMonoTest.PATIENCE;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceReactorAutoConfiguration.class))
            .withBean(Seen.class, Seen::new)
            .withBean(Flaky.class)
            .withPropertyValues("resilience.retry.configs.default.max-attempts=3",
                    "resilience.retry.configs.default.wait-duration=10ms");

    @BeforeEach
    void registerTheMdc() {
        ContextRegistry.getInstance().registerThreadLocalAccessor(new Slf4jThreadLocalAccessor("user"));
    }

    @AfterEach
    void unregisterTheMdc() {
        ContextRegistry.getInstance().removeThreadLocalAccessor(Slf4jThreadLocalAccessor.KEY);
        MDC.clear();
    }

    @Test
    void theSubscribingThreadsMdcIsSetOnEveryAttemptWhereverItRuns() {
        runner.run(context -> {
            Seen seen = context.getBean(Seen.class);
            MDC.put("user", "alice");
            Mono<String> mono = context.getBean(Flaky.class).mono();
            StepVerifier.create(mono).expectNext("ok after 3").expectComplete().verify(PATIENCE);

            assertThat(seen.users).containsExactly("alice", "alice", "alice");
            assertThat(seen.threads.subList(1, 3)).allSatisfy(name -> assertThat(name).startsWith("ForkJoinPool"));
        });
    }

    @Test
    void theMdcInTheSubscribersContextIsSetOnEveryAttemptAndReachesThePublishersOperators() {
        runner.run(context -> {
            Seen seen = context.getBean(Seen.class);
            Flux<String> flux = context.getBean(Flaky.class).flux()
                    .contextWrite(Context.of(Slf4jThreadLocalAccessor.KEY, Map.of("user", "bob")));

            StepVerifier.create(flux).expectNext("ok after 3").expectComplete().verify(PATIENCE);

            assertThat(seen.users).containsExactly("bob", "bob", "bob");
            assertThat(seen.contexts).allSatisfy(map -> assertThat(map).containsEntry("user", "bob"));
        });
    }

    @Test
    void theCurrentObservationIsTheSubscribersOnEveryAttempt() {
        runner.run(context -> {
            Seen seen = context.getBean(Seen.class);
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(observationContext -> true);
            seen.registry = registry;
            Observation request = Observation.start("request", registry);
            Mono<String> mono = context.getBean(Flaky.class).mono();
            try (Observation.Scope scope = request.openScope()) {
                mono.subscribe();
            }
            finally {
                request.stop();
            }

            org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> seen.observations.size() == 3);
            assertThat(seen.observations).containsOnly(request);
        });
    }

    /** What the method saw on each attempt. */
    static final class Seen {

        final List<String> users = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final List<Object> observations = new CopyOnWriteArrayList<>();
        final List<Map<String, String>> contexts = new CopyOnWriteArrayList<>();
        volatile ObservationRegistry registry;

        void attempt() {
            users.add(String.valueOf(MDC.get("user")));
            threads.add(Thread.currentThread().getName());
            if (registry != null) {
                Observation current = registry.getCurrentObservation();
                observations.add(current != null ? current : "none");
            }
        }
    }

    static class Flaky {

        private final Seen seen;

        Flaky(Seen seen) {
            this.seen = seen;
        }

        @Retry("flaky")
        public Mono<String> mono() {
            seen.attempt();
            int attempt = seen.users.size();
            return attempt < 3 ? Mono.error(new IllegalStateException()) : Mono.just("ok after " + attempt);
        }

        @Retry("flaky")
        public Flux<String> flux() {
            seen.attempt();
            int attempt = seen.users.size();
            return Flux.deferContextual(view -> {
                seen.contexts.add(view.getOrDefault(Slf4jThreadLocalAccessor.KEY, Map.of()));
                return attempt < 3 ? Flux.error(new IllegalStateException()) : Flux.just("ok after " + attempt);
            });
        }
    }
}
