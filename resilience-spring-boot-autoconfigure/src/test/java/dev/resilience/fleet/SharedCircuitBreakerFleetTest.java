package dev.resilience.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.FleetState;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of one application (three contexts, each with its web server) sharing a breaker through one real
 * redis-server; and a fourth, another application, that shares nothing with them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedCircuitBreakerFleetTest {

    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final int TRIAL_CALLS = 3;

    private final RedisServer redis = RedisServer.start();
    private final List<Instance> fleet = new ArrayList<>();

    @BeforeAll
    void startThreeInstances() {
        for (int i = 0; i < 3; i++) {
            fleet.add(new Instance(start("fleet-breaker-test")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().allMatch(Instance::connected));
    }

    @AfterAll
    void stop() {
        fleet.forEach(instance -> instance.context.close());
        redis.close();
    }

    @BeforeEach
    void everyInstanceClosedWithAPartnerThatAnswers() {
        await().atMost(Duration.ofSeconds(20)).until(() -> fleet.stream().allMatch(Instance::connected));
        fleet.forEach(instance -> instance.partner.down(false));
        one().breaker().transitionToClosedState();
        await().atMost(Duration.ofSeconds(5)).until(() -> fleet.stream()
                .allMatch(instance -> instance.breaker().getState() == State.CLOSED
                        && instance.breaker().getFleetState().equals(one().breaker().getFleetState())));
        fleet.forEach(instance -> instance.partner.resetCalls());
    }

    @Test
    void anOpenOnOneInstanceRefusesOnTheOthersWithin100Milliseconds() {
        java.util.Map<Instance, Long> openedAt = new java.util.concurrent.ConcurrentHashMap<>();
        fleet.forEach(instance -> instance.breaker().addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(dev.resilience.core.circuitbreaker.CircuitBreaker breaker, State from,
                    State to) {
                if (to == State.OPEN) {
                    openedAt.putIfAbsent(instance, System.nanoTime());
                }
            }
        }));
        one().partner.down(true);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(one().partner::call).isInstanceOf(IllegalStateException.class);
        }
        assertThat(one().breaker().getState()).isEqualTo(State.OPEN);

        await().atMost(Duration.ofMillis(100)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> two().breaker().getState() == State.OPEN && three().breaker().getState() == State.OPEN);
        await().atMost(Duration.ofSeconds(1)).until(() -> openedAt.size() == 3);
        long latest = Math.max(openedAt.get(two()), openedAt.get(three())) - openedAt.get(one());
        assertThat(Duration.ofNanos(latest)).as("from the opening to the last instance's").isLessThan(
                Duration.ofMillis(100));
        System.out.printf("OPEN reached the other instances %.2f ms after it opened the first%n", latest / 1e6);
        assertThatThrownBy(two().partner::call).isInstanceOf(CircuitBreakerOpenException.class);
        assertThatThrownBy(three().partner::call).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(two().partner.calls() + three().partner.calls()).isZero();
        FleetState opened = three().breaker().getFleetState();
        assertThat(opened.origin()).isEqualTo(one().breaker().getInstanceId());
        assertThat(opened.generation()).isEqualTo(one().breaker().getFleetState().generation());
        assertThat(three().breaker().getRemainingOpenDuration()).hasValueSatisfying(left ->
                assertThat(left).isBetween(WAIT.minusMillis(500), WAIT));
    }

    @Test
    void theFleetSendsOneSetOfTrialCallsAndItsOutcomeDecidesForEveryInstance() throws InterruptedException {
        fleet.forEach(instance -> instance.partner.down(true));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(two().partner::call).isInstanceOf(IllegalStateException.class);
        }
        long openedIn = two().breaker().getFleetState().generation();
        await().atMost(Duration.ofSeconds(1)).until(() -> fleet.stream()
                .allMatch(instance -> instance.breaker().getState() == State.OPEN));
        fleet.forEach(instance -> instance.partner.resetCalls());

        // every instance calls on through the wait and the trial, until the failed trial has opened them all again
        AtomicBoolean reopened = new AtomicBoolean();
        List<Thread> callers = new ArrayList<>();
        for (Instance instance : fleet) {
            callers.add(started(() -> {
                while (!reopened.get()) {
                    try {
                        instance.partner.call();
                    } catch (RuntimeException refusedOrFailed) {
                        // counted by the partner when it ran
                    }
                }
            }));
        }
        await().atMost(WAIT.multipliedBy(3)).until(() -> fleet.stream().allMatch(instance ->
                instance.breaker().getState() == State.OPEN
                        && instance.breaker().getFleetState().generation() > openedIn));
        reopened.set(true);
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(fleet.stream().mapToInt(instance -> instance.partner.calls()).sum())
                .as("trial calls the partner got from the whole fleet").isEqualTo(TRIAL_CALLS);
        assertThat(fleet.stream().filter(instance -> instance.partner.calls() > 0)).as("from one instance")
                .hasSize(1);

        fleet.forEach(instance -> instance.partner.down(false));
        await().atMost(WAIT.multipliedBy(3)).until(() -> {
            fleet.forEach(instance -> {
                try {
                    instance.partner.call();
                } catch (RuntimeException refused) {
                    // until the trial has closed the breaker
                }
            });
            return fleet.stream().allMatch(instance -> instance.breaker().getState() == State.CLOSED);
        });
    }

    @Test
    void aStateSetThroughTheEndpointReachesEveryInstance() {
        RestClient.ResponseSpec forced = one().http().post().uri("/actuator/circuitbreakers/partner")
                .contentType(MediaType.APPLICATION_JSON).body("{\"state\": \"FORCED_OPEN\"}").retrieve();
        assertThat(forced.toBodilessEntity().getStatusCode().value()).isEqualTo(200);
        await().atMost(Duration.ofMillis(100)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> fleet.stream().allMatch(instance -> instance.breaker().getState() == State.FORCED_OPEN));

        DocumentContext seen = JsonPath.parse(three().http().get().uri("/actuator/circuitbreakers/partner").retrieve()
                .body(String.class));
        assertThat(seen.read("$.state", String.class)).isEqualTo("FORCED_OPEN");
        assertThat(seen.read("$.shared", Boolean.class)).isTrue();
        assertThat(seen.read("$.fleet.state", String.class)).isEqualTo("FORCED_OPEN");
        assertThat(seen.read("$.fleet.byHand", Boolean.class)).isTrue();
        assertThat(seen.read("$.fleet.publishedBy", String.class)).isEqualTo(one().breaker().getInstanceId());
        assertThat(seen.read("$.fleet.thisInstance", String.class)).isEqualTo(three().breaker().getInstanceId());

        two().http().post().uri("/actuator/circuitbreakers/partner").contentType(MediaType.APPLICATION_JSON)
                .body("{\"state\": \"CLOSED\"}").retrieve().toBodilessEntity();
        await().atMost(Duration.ofMillis(100)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(() -> fleet.stream().allMatch(instance -> instance.breaker().getState() == State.CLOSED));
    }

    @Test
    void withRedisKilledNoCallFailsAndOnceItIsBackTheInstancesConverge() throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong succeeded = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (Instance instance : fleet) {
            callers.add(started(() -> {
                while (!stop.get()) {
                    try {
                        instance.partner.call();
                        succeeded.incrementAndGet();
                    } catch (RuntimeException failed) {
                        failures.add(failed);
                    }
                }
            }));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> succeeded.get() > 300);
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.stream().noneMatch(Instance::connected));
        long beforeOutage = succeeded.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> succeeded.get() > beforeOutage + 300);
        // a state set by hand on one instance during the outage stays there, the others go on
        one().breaker().transitionToForcedOpenState();
        long whileApart = succeeded.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> succeeded.get() > whileApart + 300);
        stop.set(true);
        for (Thread caller : callers) {
            caller.join();
        }
        assertThat(failures).as("calls that failed during the outage").allSatisfy(failure -> assertThat(failure)
                .isInstanceOf(CircuitBreakerOpenException.class));
        assertThat(two().breaker().getState()).isEqualTo(State.CLOSED);

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> fleet.stream().allMatch(instance ->
                instance.breaker().getState() == State.FORCED_OPEN));
        assertThat(three().breaker().getFleetState()).isEqualTo(one().breaker().getFleetState());
    }

    @Test
    void anotherApplicationOnTheSameRedisSharesNothing() {
        try (ConfigurableApplicationContext other = start("another-application")) {
            Instance stranger = new Instance(other);
            await().atMost(Duration.ofSeconds(20)).until(stranger::connected);
            one().breaker().transitionToForcedOpenState();
            await().atMost(Duration.ofSeconds(1)).until(() -> three().breaker().getState() == State.FORCED_OPEN);
            stranger.breaker().transitionToDisabledState();

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() ->
                    stranger.breaker().getState() == State.DISABLED
                            && fleet.stream().allMatch(instance -> instance.breaker().getState() == State.FORCED_OPEN));
            assertThat(redis.command("HGET", "resilience:another-application:circuitbreaker:{partner}:state", "state"))
                    .isEqualTo("DISABLED");
            assertThat(redis.command("HGET", "resilience:fleet-breaker-test:circuitbreaker:{partner}:state", "state"))
                    .isEqualTo("FORCED_OPEN");
        }
    }

    private ConfigurableApplicationContext start(String application) {
        return new SpringApplicationBuilder(FleetTestApplication.class, PartnerConfiguration.class).properties(
                "spring.application.name=" + application,
                "server.port=0",
                "spring.data.redis.host=127.0.0.1",
                "spring.data.redis.port=" + redis.port(),
                "resilience.fleet.enabled=true",
                // a loaded build machine must not turn a slow answer into an outage (the default is 50ms)
                "resilience.fleet.command-timeout=2s",
                "resilience.fleet.reconcile-interval=200ms",
                "resilience.circuitbreaker.instances.partner.shared=true",
                "resilience.circuitbreaker.instances.partner.sliding-window-size=4",
                "resilience.circuitbreaker.instances.partner.minimum-number-of-calls=4",
                "resilience.circuitbreaker.instances.partner.wait-duration-in-open-state=" + WAIT.toMillis() + "ms",
                "resilience.circuitbreaker.instances.partner.permitted-number-of-calls-in-half-open-state="
                        + TRIAL_CALLS,
                "management.endpoints.web.exposure.include=circuitbreakers",
                "management.endpoint.circuitbreakers.access=unrestricted").run();
    }

    private Instance one() {
        return fleet.get(0);
    }

    private Instance two() {
        return fleet.get(1);
    }

    private Instance three() {
        return fleet.get(2);
    }

    private record Instance(ConfigurableApplicationContext context, Partner partner) {

        Instance(ConfigurableApplicationContext context) {
            this(context, context.getBean(Partner.class));
        }

        SharedCircuitBreaker breaker() {
            return (SharedCircuitBreaker) context.getBean(CircuitBreakerRegistry.class).get("partner");
        }

        boolean connected() {
            return context.getBean(FleetConnection.class).isAvailable();
        }

        RestClient http() {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            return RestClient.create("http://127.0.0.1:" + port);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PartnerConfiguration {

        @Bean
        Partner partner() {
            return new Partner();
        }
    }

    /** The partner: counts the calls it gets, and fails them while it is down. Read through the proxy's methods. */
    public static class Partner {

        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicBoolean down = new AtomicBoolean();

        public int calls() {
            return calls.get();
        }

        public void resetCalls() {
            calls.set(0);
        }

        public void down(boolean value) {
            down.set(value);
        }

        @dev.resilience.annotation.CircuitBreaker(name = "partner")
        public String call() {
            calls.incrementAndGet();
            if (down.get()) {
                throw new IllegalStateException("partner down");
            }
            return "ok";
        }
    }

    private static Thread started(Runnable task) {
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }
}
