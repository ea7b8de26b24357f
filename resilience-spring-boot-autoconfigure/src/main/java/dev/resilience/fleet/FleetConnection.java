package dev.resilience.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The Redis connection every shared kind of the fleet uses: one command connection and one pub/sub connection, both
 * opened from the application's own Lettuce client (the one Spring Boot builds from {@code spring.data.redis.*}), the
 * instance's presence, and whether Redis is reachable.
 *
 * <h2>Never in the caller's way</h2>
 * {@link #execute} and {@link #eval} never block and never throw: they answer a future that completes within
 * {@code command-timeout} (a timer of the shared {@link Scheduler} fails it with {@link FleetUnavailableException} and
 * cancels the command, which Lettuce then never writes). While Redis is known to be unreachable, a command is not
 * even sent: its future fails at once, so that an outage costs the callers nothing and no command piles up in
 * Lettuce's queue to be replayed, stale, on reconnection. A reply that is an error of Redis itself (a script error,
 * {@code WRONGTYPE}) fails the future but is no outage.
 *
 * <h2>Outages</h2>
 * A command that times out or whose connection fails starts an outage: one WARN, and every {@link Listener} hears
 * {@link Listener#onRedisLost}. One daemon thread of its own ({@code resilience-fleet}), woken every
 * {@code reconcile-interval} by the scheduler, does the slow work: the first connection (a blocking connect, which
 * must not hold a caller nor a shared pool's thread), the PING that ends an outage (one INFO line, then
 * {@link Listener#onRedisAvailable} for every listener, so that the kinds exchange their state again), and the
 * presence heartbeat. Lettuce reconnects a lost connection by itself (with the client's reconnect delay) and
 * re-subscribes the pub/sub channels on it; an outage ends at the first PING answered after that.
 *
 * <h2>Presence</h2>
 * Each instance adds its id to one sorted set ({@code <key-prefix>fleet:instances}), scored with the time it expires
 * at (Redis server time: the instances' clocks play no part), every {@code reconcile-interval}; expired ids are
 * dropped by the same script, so {@link #knownInstances()} counts the instances seen within three intervals. It is
 * kept through an outage: a shared rate limiter's local share is its limit divided by it.
 *
 * <p>Thread-safety: every method may be called from any thread. The state a caller reads is in volatile fields
 * written by the fleet thread (the connections) or by a CAS ({@link #outage}).
 */
public final class FleetConnection implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(FleetConnection.class);

    /** Hears Redis come and go. Called on a Lettuce or fleet thread: do not block in it. */
    public interface Listener {

        /** Redis answers again after an outage, or for the first time: exchange the state kept locally. */
        void onRedisAvailable();

        /** An outage starts: from now on commands fail at once until {@link #onRedisAvailable()}. */
        default void onRedisLost(String error) {
        }
    }

    /**
     * The fleet's view of Redis, for the health component.
     *
     * @param reachable      whether Redis answers
     * @param since          when it last started or stopped answering ({@code null} before the first connection)
     * @param error          why it does not answer ({@code null} when it does)
     * @param knownInstances the instances of this application seen lately (at least 1: this one)
     */
    public record Status(boolean reachable, Instant since, String error, int knownInstances) {
    }

    /** Presence: adds the instance with its expiry (server time), drops the expired ones, answers how many remain. */
    static final FleetScript PRESENCE = FleetScript.of("""
            local now = redis.call('TIME')
            local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
            local ttl = tonumber(ARGV[2])
            redis.call('ZADD', KEYS[1], millis + ttl, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', millis)
            redis.call('PEXPIRE', KEYS[1], ttl)
            return redis.call('ZCARD', KEYS[1])
            """, ScriptOutputType.INTEGER);

    private record Outage(Instant since, long sinceNanos, String error) {
    }

    private static final Outage NOT_CONNECTED_YET = new Outage(null, 0, "not connected yet");

    private final AbstractRedisClient client;
    private final FleetSettings settings;
    private final Scheduler scheduler;
    private final Ticker ticker;
    private final Clock clock;
    private final long timeoutNanos;
    private final long intervalNanos;
    private final String presenceKey;
    private final String presenceTtlMillis;
    private final ExecutorService fleetThread;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<Consumer<String>>> subscriptions = new ConcurrentHashMap<>();
    private final AtomicReference<Outage> outage = new AtomicReference<>(NOT_CONNECTED_YET);
    private final FleetUnavailableException timedOut;
    private volatile Instant availableSince;
    private volatile StatefulConnection<String, String> connection;
    private volatile RedisClusterAsyncCommands<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile int knownInstances = 1;
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    private volatile Scheduler.Scheduled nextTick;

    /**
     * @param client    the application's Lettuce client ({@link RedisClient}, or {@link RedisClusterClient} for a
     *                  cluster); its options (reconnect delay, TLS, credentials) apply as they are
     * @param scheduler times the commands and wakes the fleet thread
     * @param ticker    measures outages
     */
    public FleetConnection(AbstractRedisClient client, FleetSettings settings, Scheduler scheduler, Ticker ticker,
            Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!(client instanceof RedisClient) && !(client instanceof RedisClusterClient)) {
            throw new IllegalArgumentException("not a Lettuce RedisClient nor RedisClusterClient: " + client);
        }
        this.timeoutNanos = settings.commandTimeout().toNanos();
        this.intervalNanos = settings.reconcileInterval().toNanos();
        this.presenceKey = settings.key("fleet:instances");
        this.presenceTtlMillis = Long.toString(Math.max(1, settings.reconcileInterval().toMillis() * 3));
        this.timedOut = new FleetUnavailableException("Redis did not answer within "
                + settings.commandTimeout().toMillis() + "ms (resilience.fleet.command-timeout)", null);
        this.fleetThread = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "resilience-fleet");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Connects in the background and starts the heartbeat; commands fail at once until the connection is up. Once;
     * later calls do nothing.
     */
    public void start() {
        if (started.compareAndSet(false, true)) {
            wake();
        }
    }

    public FleetSettings settings() {
        return settings;
    }

    /** {@code <key-prefix><suffix>}. */
    public String key(String suffix) {
        return settings.key(suffix);
    }

    /** Whether Redis answers (no outage, and connected). */
    public boolean isAvailable() {
        return outage.get() == null;
    }

    /** The instances of this application seen lately, this one included: at least 1; kept through an outage. */
    public int knownInstances() {
        return knownInstances;
    }

    public Status status() {
        Outage current = outage.get();
        return (current == null) ? new Status(true, availableSince, null, knownInstances)
                : new Status(false, current.since(), current.error(), knownInstances);
    }

    /** Adds a listener; one added while Redis is available hears nothing until the next outage ends. */
    public void addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs one command on the command connection, bounded by {@code command-timeout}.
     *
     * @param command the command on Lettuce's asynchronous API, for example {@code redis -> redis.get(key)}
     * @return its reply, or a failure: {@link FleetUnavailableException} when Redis is unreachable or too slow (the
     *         caller goes on locally), Lettuce's {@link RedisCommandExecutionException} when Redis answered an error
     */
    public <T> CompletableFuture<T> execute(Function<RedisClusterAsyncCommands<String, String>, RedisFuture<T>> command) {
        RedisClusterAsyncCommands<String, String> api = commands;
        if (outage.get() != null || api == null) {
            return CompletableFuture.failedFuture(FleetUnavailableException.NOT_SENT);
        }
        if (!connection.isOpen()) {
            lost("connection closed");
            return CompletableFuture.failedFuture(FleetUnavailableException.NOT_SENT);
        }
        RedisFuture<T> sent;
        try {
            sent = command.apply(api);
        } catch (RuntimeException failed) {
            lost(failed.toString());
            return CompletableFuture.failedFuture(new FleetUnavailableException(failed.toString(), failed));
        }
        return bounded(sent);
    }

    /**
     * Runs a script by its SHA-1, loading it with {@code EVAL} when Redis does not know it; bounded as
     * {@link #execute} is (each of the two commands).
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> eval(FleetScript script, String[] keys, String... args) {
        return this.<T>execute(redis -> redis.evalsha(script.sha1(), script.output(), keys, args))
                .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                        ? execute(redis -> redis.eval(script.source(), script.output(), keys, args))
                        : CompletableFuture.failedFuture(unwrap(failure)));
    }

    /** Publishes on a channel (bounded as {@link #execute} is); answers the number of subscribers that got it. */
    public CompletableFuture<Long> publish(String channel, String message) {
        return execute(redis -> redis.publish(channel, message));
    }

    /**
     * Hears every message of {@code channel} from now on, across reconnections (Lettuce re-subscribes a reconnected
     * pub/sub connection). Messages published while Redis was unreachable are lost, as Redis pub/sub loses them:
     * catch up in {@link Listener#onRedisAvailable()}. {@code onMessage} runs on a Lettuce thread: keep it short.
     */
    public void subscribe(String channel, Consumer<String> onMessage) {
        Objects.requireNonNull(onMessage, "onMessage");
        boolean first = subscriptions.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).isEmpty();
        subscriptions.get(channel).add(onMessage);
        StatefulRedisPubSubConnection<String, String> current = pubSub;
        if (first && current != null) {
            bounded(current.async().subscribe(channel)).exceptionally(failure -> null);
        }
    }

    /** Removes this instance from the presence set (best effort, within the command timeout) and closes. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Scheduler.Scheduled tick = nextTick;
        if (tick != null) {
            tick.cancel();
        }
        if (isAvailable()) {
            try {
                execute(redis -> redis.zrem(presenceKey, settings.instanceId())).get(timeoutNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException ex) {
                // the entry expires by itself
            }
        }
        fleetThread.shutdownNow();
        closeQuietly(pubSub);
        closeQuietly(connection);
    }

    @Override
    public String toString() {
        return "FleetConnection[" + settings.keyPrefix() + ", " + settings.instanceId() + "]";
    }

    // ---- the fleet thread

    private void wake() {
        if (closed) {
            return;
        }
        try {
            fleetThread.execute(this::tick);
        } catch (RejectedExecutionException closing) {
            // closed meanwhile
        }
    }

    /** On the fleet thread, every reconcile-interval: connect, end an outage, refresh the presence. */
    private void tick() {
        try {
            if (commands == null) {
                connect();
            }
            if (commands != null && outage.get() != null && connection.isOpen()) {
                probe();
            }
            if (isAvailable()) {
                refreshPresence();
            }
        } catch (RuntimeException unexpected) {
            logger.debug("Fleet heartbeat failed", unexpected);
        } finally {
            if (!closed) {
                try {
                    nextTick = scheduler.schedule(this::wake, intervalNanos);
                } catch (RuntimeException schedulerClosed) {
                    // the context is closing
                }
            }
        }
    }

    private void connect() {
        StatefulConnection<String, String> newConnection = null;
        try {
            StatefulRedisPubSubConnection<String, String> newPubSub;
            RedisClusterAsyncCommands<String, String> api;
            if (client instanceof RedisClusterClient cluster) {
                var clustered = cluster.connect(StringCodec.UTF8);
                newConnection = clustered;
                api = clustered.async();
                newPubSub = cluster.connectPubSub(StringCodec.UTF8);
            } else {
                var single = ((RedisClient) client).connect(StringCodec.UTF8);
                newConnection = single;
                api = single.async();
                newPubSub = ((RedisClient) client).connectPubSub(StringCodec.UTF8);
            }
            connection = newConnection;
            pubSub = newPubSub;
            commands = api;
            newPubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    deliver(channel, message);
                }
            });
            if (!subscriptions.isEmpty()) {
                newPubSub.async().subscribe(subscriptions.keySet().toArray(String[]::new)).get(timeoutNanos,
                        TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | ExecutionException | TimeoutException failed) {
            if (commands == null) {
                closeQuietly(newConnection);
            }
            lost(describe(failed));
        }
    }

    private void probe() {
        try {
            bounded(commands.ping()).get();
            refreshPresence();
            available();
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException stillDown) {
            // still in the outage
        }
    }

    private void refreshPresence() {
        try {
            Long count = bounded(commands.<Long>evalsha(PRESENCE.sha1(), PRESENCE.output(), new String[] {presenceKey},
                    settings.instanceId(), presenceTtlMillis))
                    .exceptionallyCompose(failure -> unwrap(failure) instanceof RedisNoScriptException
                            ? bounded(commands.<Long>eval(PRESENCE.source(), PRESENCE.output(),
                                    new String[] {presenceKey}, settings.instanceId(), presenceTtlMillis))
                            : CompletableFuture.failedFuture(failure))
                    .get();
            knownInstances = (int) Math.max(1, Math.min(Integer.MAX_VALUE, count));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException failed) {
            // a lost connection has started an outage; a script error is logged
            if (unwrap(failed) instanceof RedisCommandExecutionException error) {
                logger.warn("Fleet presence script failed on " + presenceKey + ": " + error.getMessage());
            }
        }
    }

    // ---- outages

    private void lost(String error) {
        if (closed) {
            return;
        }
        Outage fresh = new Outage(clock.instant(), ticker.nanoTime(), error);
        Outage previous = outage.get();
        if (previous == NOT_CONNECTED_YET ? outage.compareAndSet(previous, fresh) : outage.compareAndSet(null, fresh)) {
            logger.warn("Redis is unreachable for fleet mode (" + error + "): every instance goes on with its local "
                    + "state until it answers again");
            for (Listener listener : listeners) {
                try {
                    listener.onRedisLost(error);
                } catch (RuntimeException ex) {
                    logger.warn("Fleet listener " + listener + " failed", ex);
                }
            }
        }
    }

    private void available() {
        Outage previous = outage.get();
        if (previous == null || !outage.compareAndSet(previous, null)) {
            return;
        }
        availableSince = clock.instant();
        if (previous == NOT_CONNECTED_YET) {
            logger.debug("Fleet mode connected to Redis");
        } else {
            long millis = TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - previous.sinceNanos());
            logger.info(String.format(java.util.Locale.ROOT, "Redis answers again after %.1fs: fleet mode shares "
                    + "state again", millis / 1000.0));
        }
        for (Listener listener : listeners) {
            try {
                listener.onRedisAvailable();
            } catch (RuntimeException ex) {
                logger.warn("Fleet listener " + listener + " failed", ex);
            }
        }
    }

    // ---- commands

    private <T> CompletableFuture<T> bounded(RedisFuture<T> sent) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Scheduler.Scheduled timer = scheduler.schedule(() -> {
            // the outage is recorded before the caller hears of the timeout, so that what it asks next sees it
            if (!result.isDone()) {
                lost(timedOut.getMessage());
                if (result.completeExceptionally(timedOut)) {
                    sent.cancel(true);
                }
            }
        }, timeoutNanos);
        sent.whenComplete((value, failure) -> {
            timer.cancel();
            if (failure == null) {
                result.complete(value);
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof RedisCommandExecutionException) {
                result.completeExceptionally(cause);
            } else if (!result.isDone()) {
                lost(describe(cause));
                result.completeExceptionally(new FleetUnavailableException(describe(cause), cause));
            }
        });
        return result;
    }

    private void deliver(String channel, String message) {
        List<Consumer<String>> consumers = subscriptions.get(channel);
        if (consumers == null) {
            return;
        }
        for (Consumer<String> consumer : consumers) {
            try {
                consumer.accept(message);
            } catch (RuntimeException ex) {
                logger.warn("Fleet subscriber of " + channel + " failed", ex);
            }
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    private static void closeQuietly(StatefulConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close(); // at once: the client must not find it half closed when it shuts down
            } catch (RuntimeException ex) {
                // closing anyway
            }
        }
    }
}
