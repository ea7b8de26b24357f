package dev.resilience.fleet;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The fleet's connection against a real redis-server: commands, scripts, presence, pub/sub, outages. */
@ExtendWith(OutputCaptureExtension.class)
class FleetConnectionTest {

    private static final RedisServer redis = RedisServer.start();
    private static final AtomicInteger prefixes = new AtomicInteger();

    /** Longer than the default 50ms: on a loaded machine a spurious timeout would start an outage of its own. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMillis(500);

    private final FleetConnections connections = new FleetConnections(redis);
    private final String prefix = "test" + prefixes.incrementAndGet() + ":";

    @AfterEach
    void closeAll() {
        connections.close();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void commandsAndScriptsRunOnceConnected() throws Exception {
        FleetConnection fleet = started(prefix, "a");

        assertThat(fleet.execute(redis -> redis.set(fleet.key("x"), "1")).get()).isEqualTo("OK");
        assertThat(fleet.execute(redis -> redis.get(fleet.key("x"))).get()).isEqualTo("1");
        FleetScript increment = FleetScript.of("return redis.call('INCRBY', KEYS[1], ARGV[1])", ScriptOutputType.INTEGER);
        assertThat(fleet.<Long>eval(increment, new String[] {fleet.key("x")}, "2").get()).isEqualTo(3L);
        // a restarted or flushed server no longer knows the script: NOSCRIPT, then EVAL loads it again
        redis.command("SCRIPT", "FLUSH");
        assertThat(fleet.<Long>eval(increment, new String[] {fleet.key("x")}, "2").get()).isEqualTo(5L);
        assertThat(redis.command("SCRIPT", "EXISTS", increment.sha1())).isEqualTo("*1");
    }

    @Test
    void anErrorOfRedisItselfFailsTheCommandButIsNoOutage() {
        FleetConnection fleet = started(prefix, "a");
        redis.command("SET", fleet.key("text"), "abc");

        CompletableFuture<Long> wrongType = fleet.execute(redis -> redis.incr(fleet.key("text")));

        assertThatThrownBy(wrongType::get).hasCauseInstanceOf(RedisCommandExecutionException.class);
        assertThat(fleet.isAvailable()).isTrue();
    }

    @Test
    void presenceCountsTheInstancesOfOnePrefixOnly() {
        FleetConnection a = started(prefix, "a");
        FleetConnection b = started(prefix, "b");
        FleetConnection other = started(prefix + "other:", "c");

        await().atMost(Duration.ofSeconds(5)).until(() -> a.knownInstances() == 2 && b.knownInstances() == 2);
        assertThat(other.knownInstances()).isEqualTo(1);

        b.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.knownInstances() == 1);
    }

    @Test
    void anInstanceThatStopsWithoutSayingSoExpiresFromThePresence() {
        FleetConnection a = started(prefix, "a");
        // an instance that died: its entry expires 3 reconcile-intervals (300ms) after it was written
        redis.command("EVAL", FleetConnection.PRESENCE.source(), "1", prefix + "fleet:instances", "dead", "300");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.knownInstances() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.knownInstances() == 1);
    }

    @Test
    void anOutageFailsCommandsWithinTheTimeoutWarnsOnceAndEndsWhenRedisAnswers(CapturedOutput output)
            throws Exception {
        FleetConnection fleet = started(prefix, "a");
        Recorder recorder = new Recorder();
        fleet.addListener(recorder);
        List<String> messages = new CopyOnWriteArrayList<>();
        fleet.subscribe(prefix + "news", messages::add);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            redis.command("PUBLISH", prefix + "news", "before");
            return messages.contains("before");
        });

        redis.kill();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<String> command = fleet.execute(redis -> redis.get(fleet.key("x")));
            // never held beyond the command timeout (500ms here), whatever Redis does: generously bounded
            assertThatThrownBy(() -> command.get(2, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(FleetUnavailableException.class);
        }
        assertThat(fleet.isAvailable()).isFalse();
        assertThat(fleet.status().reachable()).isFalse();
        assertThat(fleet.status().since()).isNotNull();
        assertThat(fleet.status().error()).isNotBlank();
        assertThat(recorder.lost).hasValue(1);

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(fleet::isAvailable);
        assertThat(fleet.execute(redis -> redis.ping()).get()).isEqualTo("PONG");
        assertThat(recorder.available).hasValue(1); // added once connected: it hears the end of the outage
        // the pub/sub connection was re-subscribed by Lettuce on reconnection
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            redis.command("PUBLISH", prefix + "news", "after");
            return messages.contains("after");
        });
        assertThat(count(output, "Redis is unreachable for fleet mode")).isEqualTo(1);
        assertThat(count(output, "Redis answers again after")).isEqualTo(1);
    }

    @Test
    void aSlowRedisTimesCommandsOutAtTheCommandTimeout() throws Exception {
        FleetConnection fleet = started(prefix, "a");

        redis.command("CLIENT", "PAUSE", "2000", "ALL");
        CompletableFuture<String> slow = fleet.execute(redis -> redis.ping());

        assertThatThrownBy(() -> slow.get(2, TimeUnit.SECONDS)).hasCauseInstanceOf(FleetUnavailableException.class)
                .cause().hasMessageContaining("did not answer within 500ms");
        assertThat(fleet.isAvailable()).isFalse();
        await().atMost(Duration.ofSeconds(10)).until(fleet::isAvailable);
    }

    @Test
    void commandsBeforeTheFirstConnectionFailAtOnce() {
        FleetConnection fleet = connections.unstarted(prefix, "a", COMMAND_TIMEOUT);

        assertThat(fleet.execute(redis -> redis.ping())).isCompletedExceptionally();
        assertThat(fleet.status().reachable()).isFalse();
        assertThat(fleet.status().since()).isNull();
    }

    private FleetConnection started(String keyPrefix, String id) {
        return connections.connected(keyPrefix, id, COMMAND_TIMEOUT);
    }

    private static int count(CapturedOutput output, String text) {
        return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }

    private static final class Recorder implements FleetConnection.Listener {

        final AtomicInteger available = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();

        @Override
        public void onRedisAvailable() {
            available.incrementAndGet();
        }

        @Override
        public void onRedisLost(String error) {
            lost.incrementAndGet();
        }
    }
}
