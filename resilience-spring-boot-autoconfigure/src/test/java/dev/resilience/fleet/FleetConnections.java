package dev.resilience.fleet;

import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import io.lettuce.core.RedisClient;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;

/**
 * The fleet connections of one test, on one Lettuce client of {@code redis} and one scheduler, all closed by
 * {@link #close()} (call it after each test); a killed server is restarted then, for the next test.
 */
final class FleetConnections implements AutoCloseable {

    /** The reconcile interval of the tests' connections: presence, probes and reconciles come quickly. */
    static final Duration RECONCILE_INTERVAL = Duration.ofMillis(100);

    private final RedisServer redis;
    private final RedisClient client;
    private final Scheduler.Owned scheduler = Scheduler.withDaemonThreads(1, ForkJoinPool.commonPool());
    private final List<FleetConnection> connections = new CopyOnWriteArrayList<>();

    FleetConnections(RedisServer redis) {
        this.redis = redis;
        this.client = RedisClient.create(redis.url());
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** A connection not started yet. */
    FleetConnection unstarted(String keyPrefix, String id, Duration commandTimeout) {
        FleetConnection connection = new FleetConnection(client,
                new FleetSettings(keyPrefix, id, commandTimeout, RECONCILE_INTERVAL), scheduler, Ticker.system(),
                Clock.systemUTC());
        connections.add(connection);
        return connection;
    }

    /** A connection started and connected to Redis. */
    FleetConnection connected(String keyPrefix, String id, Duration commandTimeout) {
        return connected(keyPrefix, id, commandTimeout, connection -> { });
    }

    /** A connection started and connected to Redis, {@code beforeStart} given it first (to listen from the start). */
    FleetConnection connected(String keyPrefix, String id, Duration commandTimeout,
            Consumer<FleetConnection> beforeStart) {
        FleetConnection connection = unstarted(keyPrefix, id, commandTimeout);
        beforeStart.accept(connection);
        connection.start();
        await().atMost(Duration.ofSeconds(10)).until(connection::isAvailable);
        return connection;
    }

    @Override
    public void close() {
        connections.forEach(FleetConnection::close);
        client.shutdown();
        scheduler.close();
        if (!redis.isRunning()) {
            redis.restart();
        }
    }
}
