package dev.resilience.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.Policy;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.TimeoutExceededException;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.TimeoutConfig;
import dev.resilience.core.timeout.TimeoutRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The live view against real policies, its clock moved by hand: what each tick reads of every kind, the events it
 * tells, what a client receives, in both formats.
 */
class LiveViewTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);

    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final MutableClock clock = new MutableClock();
    private Scheduler.Owned timer;
    private CircuitBreakerRegistry breakers;
    private RetryRegistry retries;
    private TimeoutRegistry timeouts;
    private BulkheadRegistry bulkheads;
    private LimiterRegistry limiters;
    private LiveView view;

    @BeforeEach
    void registries() {
        timer = Scheduler.withDaemonThreads(1, Runnable::run);
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.builder().slidingWindowSize(10)
                .minimumNumberOfCalls(4).failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(25)).waitDurationInOpenState(Duration.ofSeconds(5))
                .build();
        breakers = new CircuitBreakerRegistry(name -> breakerConfig, new ManualTicker(), TestSchedulers.never());
        retries = new RetryRegistry(name -> RetryConfig.builder().maxAttempts(2).waitDuration(Duration.ZERO)
                .budget(name.equals("budgeted") ? new RetryConfig.Budget(0.1, 0) : null).build(),
                TestSchedulers.never());
        timeouts = new TimeoutRegistry(name -> TimeoutConfig.builder().timeoutDuration(Duration.ofMillis(50)).build(),
                timer);
        bulkheads = new BulkheadRegistry(name -> BulkheadConfig.builder().maxConcurrentCalls(2).build());
        limiters = new LimiterRegistry();
        breakers.get("partner");
        view = new LiveView(List.of(breakers, retries, timeouts, bulkheads, limiters), INTERVAL, "shop", clock,
                nanos::get);
    }

    @AfterEach
    void close() {
        view.close();
        timer.close();
    }

    @Test
    void aBreakerShowsItsStateRatesCallsAndLatency() {
        CircuitBreaker breaker = breakers.get("partner");
        succeed(breaker, 10);
        succeed(breaker, 20);
        succeed(breaker, 30);
        fail(breaker, 40);
        tick();

        DocumentContext frame = JsonPath.parse(lastFrame());
        String partner = "$.instances[?(@.kind == 'circuitbreaker' && @.name == 'partner')]";
        assertThat(frame.read(partner + ".state", List.class)).containsExactly("CLOSED");
        assertThat(number(frame, partner + ".calls")).isEqualTo(4.0);
        assertThat(number(frame, partner + ".bad")).isEqualTo(1.0);
        assertThat(number(frame, partner + ".rates.failed")).isEqualTo(1.0);
        assertThat(number(frame, partner + ".rates.slow")).as("30ms and 40ms are longer than 25ms").isEqualTo(2.0);
        assertThat(number(frame, partner + ".gauges.failureRate")).isEqualTo(25.0);
        assertThat(number(frame, partner + ".gauges.failureRateThreshold")).isEqualTo(50.0);
        assertThat(number(frame, partner + ".latency.count")).isEqualTo(4.0);
        assertThat(number(frame, partner + ".latency.mean")).isEqualTo(25.0);
        assertThat(number(frame, partner + ".latency.max")).isEqualTo(40.0);
        assertThat(number(frame, partner + ".latency.p50")).isCloseTo(20.0, within(20 * 0.12));
        assertThat(frame.read(partner + ".spark[0]", List.class)).containsExactly(4);
        assertThat(frame.read("$.interval", Integer.class)).isEqualTo(1000);
        assertThat(frame.read("$.window", Integer.class)).isEqualTo(10_000);

        // refused calls count as calls and as rejections, not as failures
        breaker.transitionToOpenState();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        tick();
        frame = JsonPath.parse(lastFrame());
        assertThat(frame.read(partner + ".state", List.class)).containsExactly("OPEN");
        assertThat(number(frame, partner + ".rejections")).as("2 in the 2s the window covers").isEqualTo(1.0);
        assertThat(number(frame, partner + ".calls")).as("6 calls in 2s").isEqualTo(3.0);
        assertThat(frame.read(partner + ".spark", List.class).get(0)).isEqualTo(List.of(2, 0));
    }

    @Test
    void aRetryWithABudgetShowsTheRetriesItRefusedAndWhatItHolds() throws Throwable {
        for (int i = 0; i < 15; i++) {
            retries.get("budgeted").decorate(context -> "ok").invoke(null);
        }
        // 16 calls earned 1.6 retries: the first failing call retries once (its attempts end there), then 0.7 is
        // left and the second failing call's retry is refused
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> retries.get("budgeted").decorate(context -> {
                throw new IllegalStateException("down");
            }).invoke(null)).hasMessage("down");
        }
        tick();

        DocumentContext frame = JsonPath.parse(lastFrame());
        String retry = "$.instances[?(@.kind == 'retry' && @.name == 'budgeted')]";
        assertThat(number(frame, retry + ".calls")).isEqualTo(17.0);
        assertThat(number(frame, retry + ".rates.budgetExhausted")).isEqualTo(1.0);
        assertThat(number(frame, retry + ".rates.failedWithRetry")).isEqualTo(1.0);
        assertThat(number(frame, retry + ".bad")).isEqualTo(2.0);
        assertThat(number(frame, retry + ".gauges.budgetRatio")).isEqualTo(0.1);
        assertThat(number(frame, retry + ".gauges.budgetRetriesAvailable")).isEqualTo(0.0);
    }

    @Test
    void theOtherKindsShowWhatTheirCallsBecame() throws Throwable {
        // retry: one call saved by a retry, one that fails twice
        Call<Object> flaky = once(new IllegalStateException("first attempt"));
        retries.get("partner").decorate(flaky).invoke(null);
        assertThatThrownBy(() -> retries.get("partner").decorate(context -> {
            throw new IllegalStateException("always");
        }).invoke(null)).hasMessage("always");
        // timeout: one in time, one cut at 50ms (the interrupt ends the wait)
        timeouts.get("partner").decorate(context -> "fast").invoke(null);
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> timeouts.get("partner").decorate(context -> {
            never.await();
            return "late";
        }).invoke(null)).isInstanceOf(TimeoutExceededException.class);
        // bulkhead of 2: a third call inside the first two finds no room
        Policy bulkhead = bulkheads.get("partner");
        Call<Object> third = bulkhead.decorate(context -> "never");
        Call<Object> second = bulkhead.decorate(context -> third.invoke(context));
        assertThatThrownBy(() -> bulkhead.decorate(second).invoke(null)).isInstanceOf(BulkheadFullException.class);
        // a kind the view has no track of its own for
        limiters.get("search").permitted = 7;
        limiters.get("search").rejected = 3;
        tick();

        DocumentContext frame = JsonPath.parse(lastFrame());
        String retry = "$.instances[?(@.kind == 'retry')]";
        assertThat(number(frame, retry + ".calls")).isEqualTo(2.0);
        assertThat(number(frame, retry + ".rates.retries")).isEqualTo(2.0);
        assertThat(number(frame, retry + ".rates.successfulWithRetry")).isEqualTo(1.0);
        assertThat(number(frame, retry + ".rates.failedWithRetry")).isEqualTo(1.0);
        assertThat(number(frame, retry + ".gauges.maxAttempts")).isEqualTo(2.0);
        String timeout = "$.instances[?(@.kind == 'timeout')]";
        assertThat(number(frame, timeout + ".calls")).isEqualTo(2.0);
        assertThat(number(frame, timeout + ".rates.timedOut")).isEqualTo(1.0);
        assertThat(number(frame, timeout + ".bad")).isEqualTo(1.0);
        assertThat(number(frame, timeout + ".gauges.timeoutMillis")).isEqualTo(50.0);
        String bulkheadPath = "$.instances[?(@.kind == 'bulkhead')]";
        assertThat(number(frame, bulkheadPath + ".rates.permitted")).isEqualTo(2.0);
        assertThat(number(frame, bulkheadPath + ".rejections")).isEqualTo(1.0);
        assertThat(number(frame, bulkheadPath + ".gauges.maxConcurrentCalls")).isEqualTo(2.0);
        assertThat(number(frame, bulkheadPath + ".gauges.inUse")).isEqualTo(0.0);
        String limiter = "$.instances[?(@.kind == 'limiter' && @.name == 'search')]";
        assertThat(frame.read(limiter + ".state", List.class)).containsExactly("ACTIVE");
        assertThat(number(frame, limiter + ".calls")).isEqualTo(10.0);
        assertThat(number(frame, limiter + ".rejections")).isEqualTo(3.0);
        assertThat(number(frame, limiter + ".gauges.availablePermissions")).isEqualTo(4.0);
        assertThat(frame.read("$.instances[*].kind", List.class)).as("breakers first, then the chain's order")
                .containsExactly("circuitbreaker", "retry", "timeout", "bulkhead", "limiter");
    }

    @Test
    void ratesCoverTheLastTenSecondsAndTheSparklineEachInterval() {
        CircuitBreaker breaker = breakers.get("partner");
        for (int i = 0; i < 20; i++) {
            succeed(breaker, 1);
        }
        tick();
        for (int i = 0; i < 9; i++) {
            tick();
        }
        Figures figures = partner();
        assertThat(figures.calls()).as("20 calls in 10s").isEqualTo(2.0);
        assertThat(figures.lastCalls()).isZero();
        tick();
        assertThat(partner().calls()).as("out of the window").isZero();
        assertThat(partner().latency().count()).isZero();

        List<StreamEvent> received = subscribe(LiveView.Format.LIVE);
        DocumentContext history = JsonPath.parse(received.get(0).data());
        assertThat(received.get(0).name()).isEqualTo("history");
        assertThat(received.get(0).keep()).isTrue();
        assertThat(history.read("$.instances[?(@.name == 'partner')].calls[0]", List.class))
                .as("oldest first: the calls of the first interval").containsExactly(20);
        assertThat((List<?>) history.read("$.instances[?(@.name == 'partner')].calls", List.class).get(0))
                .hasSize(11);
    }

    @Test
    void eventsTellTransitionsAndWhenFailuresStartAndStop() {
        CircuitBreaker breaker = breakers.get("partner");
        fail(breaker, 1);
        tick();
        breaker.transitionToOpenState();
        for (int i = 0; i < 10; i++) {
            tick();
        }
        breaker.transitionToClosedState();
        breaker.transitionToClosedState();
        breaker.reset();
        tick();

        DocumentContext frame = JsonPath.parse(lastFrame());
        List<Map<String, Object>> events = frame.read("$.events[*]");
        assertThat(events).extracting(event -> event.get("text")).containsExactly(
                "calls fail: IllegalStateException: boom",
                "CLOSED \u2192 OPEN: calls are refused for 5s",
                "no more failures (1 in all, none for the last 10s)",
                "OPEN \u2192 CLOSED: calls flow",
                "CLOSED again, with an empty window: calls flow",
                "reset: CLOSED with an empty window");
        assertThat(events).extracting(event -> event.get("level"))
                .containsExactly("bad", "bad", "good", "good", "good", "info");
        assertThat(events).extracting(event -> event.get("seq")).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(events).allSatisfy(event -> assertThat(event).containsEntry("name", "partner")
                .containsEntry("kind", "circuitbreaker"));
    }

    @Test
    void aClientGetsTheHistoryThenEveryFrameUntilItLeaves() {
        List<List<StreamEvent>> received = new ArrayList<>();
        boolean[] closed = {false};
        LiveView.Subscription subscription = view.subscribe(LiveView.Format.LIVE, receiver(received, closed));
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).extracting(StreamEvent::name).containsExactly("history");
        assertThat(received.get(0).get(0).retryMillis()).isEqualTo(1000);
        assertThat(view.subscribers(LiveView.Format.LIVE)).isEqualTo(1);

        tick();
        tick();
        assertThat(received).hasSize(3);
        assertThat(received.get(2)).singleElement().satisfies(event -> {
            assertThat(event.name()).isNull();
            assertThat(event.keep()).isFalse();
            assertThat(JsonPath.parse(event.data()).read("$.seq", Integer.class)).isEqualTo(2);
        });

        subscription.close();
        subscription.close();
        tick();
        assertThat(received).hasSize(3);
        assertThat(view.subscribers(LiveView.Format.LIVE)).isZero();

        // a later client starts with the history and the latest frame; stopping the view ends its stream
        List<List<StreamEvent>> later = new ArrayList<>();
        view.subscribe(LiveView.Format.LIVE, receiver(later, closed));
        assertThat(later.get(0)).extracting(StreamEvent::name).containsExactly("history", null);
        view.stop();
        assertThat(closed[0]).isTrue();
        assertThat(view.subscribers(LiveView.Format.LIVE)).isZero();
    }

    @Test
    void theHystrixStreamHasOneCommandPerNameWithHystrixFields() throws Throwable {
        List<StreamEvent> first = subscribe(LiveView.Format.HYSTRIX);
        assertThat(first).singleElement().satisfies(event -> assertThat(event.comment()).isTrue());

        CircuitBreaker breaker = breakers.get("partner");
        succeed(breaker, 12);
        fail(breaker, 30);
        breaker.transitionToOpenState();
        breaker.tryAcquirePermission();
        timeouts.get("partner").decorate(context -> "fast").invoke(null);
        bulkheads.get("partner");
        tick();

        List<List<StreamEvent>> received = new ArrayList<>();
        view.subscribe(LiveView.Format.HYSTRIX, receiver(received, new boolean[1]));
        List<StreamEvent> frame = received.get(0);
        assertThat(frame).as("partner; search is of a kind Hystrix has no place for").hasSize(1);
        DocumentContext command = JsonPath.parse(frame.get(0).data());
        assertThat(command.read("$.type", String.class)).isEqualTo("HystrixCommand");
        assertThat(command.read("$.name", String.class)).isEqualTo("partner");
        assertThat(command.read("$.group", String.class)).isEqualTo("shop");
        assertThat(command.read("$.isCircuitBreakerOpen", Boolean.class)).isTrue();
        assertThat(command.read("$.rollingCountSuccess", Integer.class)).isEqualTo(1);
        assertThat(command.read("$.rollingCountFailure", Integer.class)).isEqualTo(1);
        assertThat(command.read("$.rollingCountShortCircuited", Integer.class)).isEqualTo(1);
        assertThat(command.read("$.requestCount", Integer.class)).isEqualTo(3);
        assertThat(command.read("$.errorCount", Integer.class)).isEqualTo(2);
        assertThat(command.read("$.errorPercentage", Integer.class)).isEqualTo(67);
        assertThat(command.read("$.latencyExecute_mean", Integer.class)).isEqualTo(21);
        assertThat(command.read("$.latencyExecute", Map.class))
                .containsOnlyKeys("0", "25", "50", "75", "90", "95", "99", "99.5", "100")
                .containsEntry("100", 30);
        assertThat(command.read("$.latencyTotal", Map.class)).containsEntry("100", 30);
        assertThat(command.read("$.propertyValue_executionTimeoutInMilliseconds", Integer.class)).isEqualTo(50);
        assertThat(command.read("$.propertyValue_executionIsolationSemaphoreMaxConcurrentRequests", Integer.class))
                .isEqualTo(2);
        assertThat(command.read("$.propertyValue_circuitBreakerRequestVolumeThreshold", Integer.class)).isEqualTo(4);
        assertThat(command.read("$.propertyValue_circuitBreakerSleepWindowInMilliseconds", Integer.class))
                .isEqualTo(5000);
        assertThat(command.read("$.propertyValue_circuitBreakerErrorThresholdPercentage", Integer.class)).isEqualTo(50);
        assertThat(command.read("$.propertyValue_metricsRollingStatisticalWindowInMilliseconds", Integer.class))
                .isEqualTo(10_000);
        assertThat(command.read("$.propertyValue_executionIsolationStrategy", String.class)).isEqualTo("SEMAPHORE");
        assertThat(command.read("$.reportingHosts", Integer.class)).isEqualTo(1);
        assertThat(command.read("$.threadPool", String.class)).isEqualTo("partner");
        assertThat(command.read("$.currentTime", Long.class)).isEqualTo(clock.millis());
    }

    @Test
    void aThreadPoolBulkheadIsAlsoAHystrixThreadPool() {
        BulkheadRegistry pools = new BulkheadRegistry(name -> BulkheadConfig.builder()
                .type(BulkheadConfig.Type.THREAD_POOL).coreThreadPoolSize(1).maxThreadPoolSize(2).queueCapacity(5)
                .build());
        try (pools; LiveView pooled = new LiveView(List.of(pools), INTERVAL, "shop", clock, nanos::get)) {
            pools.get("reports");
            nanos.addAndGet(INTERVAL.toNanos());
            pooled.tick();
            List<List<StreamEvent>> received = new ArrayList<>();
            pooled.subscribe(LiveView.Format.HYSTRIX, receiver(received, new boolean[1]));
            assertThat(received.get(0)).hasSize(2);
            DocumentContext command = JsonPath.parse(received.get(0).get(0).data());
            assertThat(command.read("$.propertyValue_executionIsolationStrategy", String.class)).isEqualTo("THREAD");
            DocumentContext pool = JsonPath.parse(received.get(0).get(1).data());
            assertThat(pool.read("$.type", String.class)).isEqualTo("HystrixThreadPool");
            assertThat(pool.read("$.name", String.class)).isEqualTo("reports");
            assertThat(pool.read("$.currentMaximumPoolSize", Integer.class)).isEqualTo(2);
            assertThat(pool.read("$.propertyValue_queueSizeRejectionThreshold", Integer.class)).isEqualTo(5);
        }
    }

    @Test
    void anInstanceRemovedFromItsRegistryLeavesTheFrames() {
        limiters.get("search");
        tick();
        assertThat(view.latest()).extracting(Figures::name).contains("search");
        limiters.remove("search");
        tick();
        assertThat(view.latest()).extracting(Figures::name).doesNotContain("search");
    }

    // helpers

    private void tick() {
        nanos.addAndGet(INTERVAL.toNanos());
        clock.advance(INTERVAL);
        view.tick();
    }

    private Figures partner() {
        return view.latest().stream().filter(figures -> figures.kind().equals("circuitbreaker")).findFirst()
                .orElseThrow();
    }

    private String lastFrame() {
        List<List<StreamEvent>> received = new ArrayList<>();
        LiveView.Subscription subscription = view.subscribe(LiveView.Format.LIVE, receiver(received, new boolean[1]));
        subscription.close();
        return received.get(0).get(1).data();
    }

    private List<StreamEvent> subscribe(LiveView.Format format) {
        List<List<StreamEvent>> received = new ArrayList<>();
        view.subscribe(format, receiver(received, new boolean[1])).close();
        return received.get(0);
    }

    private static LiveView.Receiver receiver(List<List<StreamEvent>> received, boolean[] closed) {
        return new LiveView.Receiver() {
            @Override
            public void send(List<StreamEvent> events) {
                received.add(events);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
    }

    private static double number(DocumentContext json, String path) {
        List<Number> values = json.read(path, List.class);
        assertThat(values).as(path).hasSize(1);
        return values.get(0).doubleValue();
    }

    private static void succeed(CircuitBreaker breaker, long millis) {
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static void fail(CircuitBreaker breaker, long millis) {
        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onError(TimeUnit.MILLISECONDS.toNanos(millis), new IllegalStateException("boom"));
    }

    private static Call<Object> once(RuntimeException failure) {
        boolean[] failed = {false};
        return context -> {
            if (!failed[0]) {
                failed[0] = true;
                throw failure;
            }
            return "ok";
        };
    }

    /** A kind the live view does not know, following the conventions every kind follows. */
    static final class LimiterRegistry extends InstanceRegistry<Limiter> {

        LimiterRegistry() {
            super(Limiter::new);
        }
    }

    public static final class Limiter implements Policy {

        public enum State { ACTIVE }

        private final String name;
        volatile long permitted;
        volatile long rejected;

        Limiter(String name) {
            this.name = name;
        }

        public State getState() {
            return State.ACTIVE;
        }

        public LimiterMetrics getMetrics() {
            return new LimiterMetrics(4, 0, permitted, rejected);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public <C> Call<C> decorate(Call<C> next) {
            return next;
        }

        @Override
        public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
            return next;
        }
    }

    public record LimiterMetrics(long availablePermissions, int waitingCalls, long permittedCalls, long rejectedCalls) {
    }

    private static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
