package dev.resilience.fleet;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import dev.resilience.core.ratelimiter.RateLimiterConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared rate limiter's decisions in Redis, against a real redis-server, and its local share in an outage. */
class SharedRateLimiterTest {

    private static final RedisServer redis = RedisServer.start();
    private static final AtomicInteger prefixes = new AtomicInteger();

    private final FleetConnections connections = new FleetConnections(redis);
    private final Scheduler scheduler = connections.scheduler();
    private final String prefix = "limits" + prefixes.incrementAndGet() + ":";

    @AfterEach
    void closeAll() {
        connections.close();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void admitsTheLimitInAPeriodThenRefusesAtOnceWithTheTimeToTheNextPeriod() {
        SharedRateLimiter limiter = limiter("partner", config(5, Duration.ofSeconds(10), Duration.ZERO), fleet("a"));

        for (int i = 0; i < 5; i++) {
            assertThat(limiter.reservePermission()).isZero();
        }
        long refused = limiter.reservePermission();
        assertThat(refused).isNegative().isGreaterThanOrEqualTo(-Duration.ofSeconds(10).toNanos());
        assertThatThrownBy(limiter::acquirePermission).isInstanceOf(RateLimitExceededException.class)
                .satisfies(ex -> assertThat(((RateLimitExceededException) ex).getRetryAfter())
                        .isPositive().isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(limiter.getMetrics().permittedCalls()).isEqualTo(5);
        assertThat(limiter.getMetrics().rejectedCalls()).isEqualTo(2);
        assertThat(limiter.getMetrics().availablePermissions()).isZero();
    }

    @Test
    void aCallTakesAPermitOfALaterPeriodWhenItComesWithinTheTimeout() {
        SharedRateLimiter limiter = limiter("partner", config(1, Duration.ofMillis(500), Duration.ofSeconds(2)),
                fleet("a"));

        assertThat(limiter.reservePermission()).isZero();
        long wait = limiter.reservePermission();
        assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMillis(500).toNanos());
        long further = limiter.reservePermission();
        assertThat(further).as("a period later still").isGreaterThan(wait);

        SharedRateLimiter strict = limiter("strict", config(1, Duration.ofSeconds(10), Duration.ofMillis(100)),
                fleet("b"));
        assertThat(strict.reservePermission()).isZero();
        assertThat(strict.reservePermission()).as("the next period is too far").isNegative();
    }

    @Test
    void theWaitIsParkedAndTheCallThenPermitted() {
        SharedRateLimiter limiter = limiter("partner", config(1, Duration.ofMillis(200), Duration.ofSeconds(2)),
                fleet("a"));
        limiter.acquirePermission();
        limiter.acquirePermission(); // parks until the next period of the Redis clock
        assertThat(limiter.getMetrics().permittedCalls()).isEqualTo(2);
    }

    @Test
    void periodsFollowTheRedisServersClockNotTheInstances() {
        ManualTicker frozen = new ManualTicker(); // never advanced: a local limiter would never refill
        FleetConnection fleet = fleet("a");
        SharedRateLimiter limiter = SharedRateLimiter.create("partner", config(1, Duration.ofMillis(100), Duration.ZERO),
                fleet, frozen, scheduler);

        assertThat(limiter.reservePermission()).isZero();
        assertThat(limiter.reservePermission()).isNegative();
        await().atMost(Duration.ofSeconds(5)).until(() -> limiter.reservePermission() == 0);
    }

    @Test
    void eachKeyHasALimitOfItsOwnInOneHashSlotAndItsStateExpires() {
        FleetConnection fleet = fleet("a");
        SharedRateLimiter limiter = limiter("partner", config(2, Duration.ofSeconds(10), Duration.ZERO), fleet);

        assertThat(limiter.reservePermission("alice")).isZero();
        assertThat(limiter.reservePermission("alice")).isZero();
        assertThat(limiter.reservePermission("alice")).isNegative();
        assertThat(limiter.reservePermission("bob")).isZero();
        assertThat(limiter.reservePermission()).isZero();

        String own = prefix + "ratelimiter:{partner}";
        // all keys of the limiter carry the hash tag {partner}: one Redis Cluster slot
        assertThat(redis.command("EXISTS", own)).isEqualTo(":1");
        assertThat(redis.command("EXISTS", own + ":alice")).isEqualTo(":1");
        long ttl = Long.parseLong(redis.command("PTTL", own + ":alice").substring(1));
        assertThat(ttl).as("expires once its permits are full again, plus a period").isPositive()
                .isLessThanOrEqualTo(Duration.ofSeconds(30).toMillis());
    }

    @Test
    void twoLimitersOfOneNameOnTwoInstancesShareOneLimit() {
        SharedRateLimiter a = limiter("partner", config(3, Duration.ofSeconds(10), Duration.ZERO), fleet("a"));
        SharedRateLimiter b = limiter("partner", config(3, Duration.ofSeconds(10), Duration.ZERO), fleet("b"));

        assertThat(a.reservePermission()).isZero();
        assertThat(b.reservePermission()).isZero();
        assertThat(a.reservePermission()).isZero();
        assertThat(b.reservePermission()).isNegative();
        assertThat(a.reservePermission()).isNegative();
    }

    @Test
    void anAsyncCallNeverBlocksAndRunsOffLettucesThreads() throws Exception {
        SharedRateLimiter limiter = limiter("partner", config(1, Duration.ofSeconds(10), Duration.ZERO), fleet("a"));
        AtomicReference<String> thread = new AtomicReference<>();
        AsyncCall<Object> call = limiter.decorateAsync(context -> {
            thread.set(Thread.currentThread().getName());
            return CompletableFuture.completedFuture("done");
        });

        CompletionStage<Object> first = call.invoke(null);
        assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("done");
        assertThat(thread.get()).doesNotContain("lettuce").doesNotContain("EventLoop");
        CompletionStage<Object> second = call.invoke(null);
        assertThatThrownBy(() -> second.toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(RateLimitExceededException.class);
    }

    @Test
    void duringAnOutageEachInstanceTakesItsShareOfTheLimitAndNoCallFails() {
        FleetConnection a = fleet("a");
        FleetConnection b = fleet("b");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.knownInstances() == 2);
        SharedRateLimiter limiter = limiter("partner", config(10, Duration.ofHours(1), Duration.ZERO), a);
        assertThat(limiter.reservePermission()).isZero();

        redis.kill();
        int admitted = 0;
        for (int i = 0; i < 20; i++) {
            if (limiter.reservePermission() == 0) {
                admitted++;
            }
        }
        assertThat(admitted).as("10 / 2 known instances").isEqualTo(5);

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(a::isAvailable);
        // the restarted Redis is empty: the fleet's count starts again from the full limit
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.reservePermission()).isZero();
        }
        assertThat(limiter.reservePermission()).isNegative();
        assertThat(b).isNotNull();
    }

    @Test
    void aSlowRedisHoldsACallOnlyUntilTheCommandTimeoutThenTheLocalShareDecides() {
        FleetConnection fleet = fleet("a", Duration.ofMillis(200));
        SharedRateLimiter limiter = limiter("partner", config(10, Duration.ofHours(1), Duration.ZERO), fleet);
        assertThat(limiter.reservePermission()).isZero();

        redis.command("CLIENT", "PAUSE", "3000", "ALL");
        long start = System.nanoTime();
        assertThat(limiter.reservePermission()).as("from the local share").isZero();
        long held = System.nanoTime() - start;

        assertThat(Duration.ofNanos(held)).as("held for the command timeout, not for Redis' pause")
                .isLessThan(Duration.ofMillis(2500));
        assertThat(fleet.isAvailable()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(fleet::isAvailable);
    }

    @Test
    void aSharedLimiterNeedsAPeriodOfAtLeastAMillisecond() {
        assertThatThrownBy(() -> limiter("partner", config(1, Duration.ofNanos(500), Duration.ZERO), fleet("a")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1ms");
    }

    private SharedRateLimiter limiter(String name, RateLimiterConfig config, FleetConnection fleet) {
        return SharedRateLimiter.create(name, config, fleet, Ticker.system(), scheduler);
    }

    private static RateLimiterConfig config(int limit, Duration period, Duration timeout) {
        return RateLimiterConfig.builder().limitForPeriod(limit).limitRefreshPeriod(period).timeoutDuration(timeout)
                .shared(true).build();
    }

    private FleetConnection fleet(String id) {
        // a generous command timeout: these decisions must come from Redis on a loaded machine
        return fleet(id, Duration.ofSeconds(2));
    }

    private FleetConnection fleet(String id, Duration commandTimeout) {
        return connections.connected(prefix, id, commandTimeout);
    }
}
