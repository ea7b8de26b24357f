package dev.resilience.fleet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.FleetState;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shared breakers' fleet against a real redis-server: its keys, their expiry, the lease and the channel. */
class RedisCircuitBreakerFleetTest {

    private static final RedisServer redis = RedisServer.start();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final java.util.concurrent.atomic.AtomicInteger prefixes = new java.util.concurrent.atomic.AtomicInteger();

    private final String prefix = "orders" + prefixes.incrementAndGet() + ":";

    private final FleetConnections connections = new FleetConnections(redis);
    private final RedisCircuitBreakerFleet a = fleet("a");
    private final RedisCircuitBreakerFleet b = fleet("b");

    @AfterEach
    void closeAll() {
        connections.close();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aStateIsKeptOnlyWhenItRanksHigherAndEveryoneHearsIt() throws Exception {
        List<FleetState> heard = new CopyOnWriteArrayList<>();
        b.subscribe("partner", heard::add, () -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.command("PUBSUB", "NUMSUB",
                prefix + "circuitbreaker:{partner}").contains("*2"));
        FleetState opened = new FleetState(State.OPEN, 1, WAIT, "a", false);

        assertThat(get(a.publish("partner", opened))).isEqualTo(opened);
        FleetState lost = get(b.publish("partner", new FleetState(State.OPEN, 1, WAIT, "b", false)));

        assertThat(lost.origin()).as("the first of one generation stands").isEqualTo("a");
        assertThat(lost.openWait()).isBetween(WAIT.minusSeconds(1), WAIT);
        await().atMost(Duration.ofSeconds(5)).until(() -> !heard.isEmpty());
        assertThat(heard).containsExactly(opened);
        assertThat(redis.command("HGET", prefix + "circuitbreaker:{partner}:state", "origin")).isEqualTo("a");
        long ttl = Long.parseLong(redis.command("PTTL", prefix + "circuitbreaker:{partner}:state").substring(1));
        assertThat(ttl).as("a day after the open wait").isBetween(Duration.ofDays(1).plus(WAIT).minusSeconds(5).toMillis(),
                Duration.ofDays(1).plus(WAIT).toMillis());

        FleetState halfOpen = new FleetState(State.HALF_OPEN, 1, Duration.ZERO, "b", false);
        assertThat(get(b.publish("partner", halfOpen))).as("ranks above its OPEN").isEqualTo(halfOpen);
        assertThat(get(a.read("partner"))).contains(halfOpen);
        assertThat(get(a.read("unknown"))).isEmpty();
    }

    @Test
    void whatIsLeftOfTheWaitIsCountedInRedisTime() throws Exception {
        get(a.publish("partner", new FleetState(State.OPEN, 4, Duration.ofMillis(1_500), "a", true)));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> get(b.read("partner")).orElseThrow().openWait().toMillis() < 1_000);
        Optional<FleetState> read = get(b.read("partner"));
        assertThat(read).hasValueSatisfying(state -> {
            assertThat(state.generation()).isEqualTo(4);
            assertThat(state.byHand()).isTrue();
            assertThat(state.openWait()).isPositive();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> get(b.read("partner")).orElseThrow().openWait().isZero());
    }

    @Test
    void aTrialIsLeasedToOneInstanceUntilTheLeaseRunsOut() throws Exception {
        assertThat(get(a.leaseTrial("partner", 7, Duration.ofMillis(300)))).isTrue();
        assertThat(get(b.leaseTrial("partner", 7, Duration.ofMillis(300)))).isFalse();
        assertThat(get(b.leaseTrial("partner", 8, Duration.ofMillis(300)))).as("another generation").isTrue();
        assertThat(redis.command("GET", prefix + "circuitbreaker:{partner}:trial:7")).isEqualTo("a");
        await().atMost(Duration.ofSeconds(5)).until(() -> get(b.leaseTrial("partner", 7, Duration.ofSeconds(1))));
    }

    @Test
    void aMessageThatIsNoStateIsIgnored() {
        assertThat(RedisCircuitBreakerFleet.parse("3|OPEN|1500|false|web-1:42:ab|cd"))
                .isEqualTo(new FleetState(State.OPEN, 3, Duration.ofMillis(1500), "web-1:42:ab|cd", false));
        assertThat(RedisCircuitBreakerFleet.parse("hello")).isNull();
        assertThat(RedisCircuitBreakerFleet.parse("1|AJAR|0|false|a")).isNull();
    }

    private RedisCircuitBreakerFleet fleet(String id) {
        AtomicReference<RedisCircuitBreakerFleet> fleet = new AtomicReference<>();
        connections.connected(prefix, id, Duration.ofSeconds(2),
                connection -> fleet.set(new RedisCircuitBreakerFleet(connection, connections.scheduler())));
        return fleet.get();
    }

    private static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
