package dev.resilience.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import dev.resilience.core.Scheduler;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.FleetState;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The shared circuit breakers' fleet on Redis, through the application's {@link FleetConnection}.
 *
 * <p>Per breaker {@code <name>}, every key in one Redis Cluster hash slot (the hash tag {@code {<name>}}):
 * <ul>
 * <li>{@code <key-prefix>circuitbreaker:{<name>}:state}, a hash: the fleet's {@link FleetState} (state, generation,
 * rank, origin, byHand) and {@code openUntil}, the end of an OPEN's wait in Redis server time. One script replaces it
 * only by a state that ranks higher, and in the same step publishes it; it expires a day (plus the open wait) after
 * its last change, so the keys of a breaker nobody runs any more go away, and an instance that finds none publishes
 * its own at the next reconcile;</li>
 * <li>{@code <key-prefix>circuitbreaker:{<name>}:trial:<generation>}: the half-open trial's lease, {@code SET NX PX}
 * with the holder's instance id;</li>
 * <li>the pub/sub channel {@code <key-prefix>circuitbreaker:{<name>}}: each accepted state, as
 * {@code generation|STATE|openWaitMillis|byHand|origin}.</li>
 * </ul>
 *
 * <p>Time: an OPEN travels as the wait that remains (milliseconds) and is kept as its end in Redis server time
 * (the script's {@code TIME}), so no instance's clock is ever compared with another's; what the others apply is the
 * remaining wait less nothing for the message's own travel, so their wait ends that much later (well under a
 * millisecond on one network), never earlier.
 *
 * <p>Threads: answers and messages are handed to the scheduler's work executor, never run on Lettuce's threads, since
 * applying a state runs the breaker's listeners.
 */
public final class RedisCircuitBreakerFleet implements CircuitBreakerFleet {

    private static final Log logger = LogFactory.getLog(RedisCircuitBreakerFleet.class);

    /** How long the fleet keeps a breaker's state after its last change (beyond an open wait). */
    static final Duration RETENTION = Duration.ofDays(1);

    /**
     * KEYS: state. ARGV: rank, state, generation, openWaitMillis, origin, byHand, retentionMillis, channel. Answers
     * {1} when accepted, else {0, state, generation, openWaitMillis left, origin, byHand} of the state that stands.
     */
    static final FleetScript PUBLISH = FleetScript.of("""
            local stored = redis.call('HMGET', KEYS[1], 'rank', 'state', 'generation', 'openUntil', 'origin', 'byHand')
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            if stored[1] and tonumber(stored[1]) >= tonumber(ARGV[1]) then
                return {0, stored[2], stored[3], math.max(0, tonumber(stored[4]) - now), stored[5], stored[6]}
            end
            redis.call('HSET', KEYS[1], 'rank', ARGV[1], 'state', ARGV[2], 'generation', ARGV[3],
                'openUntil', now + tonumber(ARGV[4]), 'origin', ARGV[5], 'byHand', ARGV[6])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[7]) + tonumber(ARGV[4]))
            redis.call('PUBLISH', ARGV[8], ARGV[3] .. '|' .. ARGV[2] .. '|' .. ARGV[4] .. '|' .. ARGV[6] .. '|' .. ARGV[5])
            return {1}
            """, ScriptOutputType.MULTI);

    /** KEYS: state. Answers {state, generation, openWaitMillis left, origin, byHand}, or {} when there is none. */
    static final FleetScript READ = FleetScript.of("""
            local stored = redis.call('HMGET', KEYS[1], 'state', 'generation', 'openUntil', 'origin', 'byHand')
            if not stored[1] then
                return {}
            end
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            return {stored[1], stored[2], math.max(0, tonumber(stored[3]) - now), stored[4], stored[5]}
            """, ScriptOutputType.MULTI);

    private final FleetConnection connection;
    private final Executor work;
    private final List<Subscribed> subscriptions = new CopyOnWriteArrayList<>();

    public RedisCircuitBreakerFleet(FleetConnection connection, Scheduler scheduler) {
        this.connection = Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(scheduler, "scheduler");
        this.work = scheduler::execute;
        connection.addListener(() -> subscriptions.forEach(Subscribed::reachableAgain));
    }

    @Override
    public String instanceId() {
        return connection.settings().instanceId();
    }

    @Override
    public Duration reconcileInterval() {
        return connection.settings().reconcileInterval();
    }

    @Override
    public CompletionStage<FleetState> publish(String name, FleetState state) {
        String waitMillis = Long.toString(state.openWait().toMillis());
        return connection.<List<Object>>eval(PUBLISH, new String[] {stateKey(name)}, Long.toString(state.rank()),
                        state.state().name(), Long.toString(state.generation()), waitMillis, state.origin(),
                        Boolean.toString(state.byHand()), Long.toString(RETENTION.toMillis()), channel(name))
                .thenApplyAsync(reply -> ((Long) reply.get(0)) == 1 ? state : decode(reply.subList(1, 6)), work);
    }

    @Override
    public CompletionStage<Optional<FleetState>> read(String name) {
        return connection.<List<Object>>eval(READ, new String[] {stateKey(name)})
                .thenApplyAsync(reply -> reply.isEmpty() ? Optional.empty() : Optional.of(decode(reply)), work);
    }

    @Override
    public CompletionStage<Boolean> leaseTrial(String name, long generation, Duration lease) {
        String key = key(name) + ":trial:" + generation;
        SetArgs once = SetArgs.Builder.nx().px(Math.max(1, lease.toMillis()));
        return connection.execute(redis -> redis.set(key, instanceId(), once))
                .thenApplyAsync("OK"::equals, work);
    }

    @Override
    public Subscription subscribe(String name, Consumer<FleetState> onState, Runnable onReachableAgain) {
        Subscribed subscribed = new Subscribed(name, onState, onReachableAgain);
        subscriptions.add(subscribed);
        connection.subscribe(channel(name), subscribed::message);
        return subscribed::cancel;
    }

    /** {@code <key-prefix>circuitbreaker:{<name>}}: the channel, and the start of every key, of one breaker. */
    String key(String name) {
        return connection.key("circuitbreaker:{" + name + "}");
    }

    String stateKey(String name) {
        return key(name) + ":state";
    }

    private String channel(String name) {
        return key(name);
    }

    /** {state, generation, openWaitMillis, origin, byHand}. */
    private static FleetState decode(List<Object> fields) {
        return new FleetState(State.valueOf((String) fields.get(0)), Long.parseLong((String) fields.get(1)),
                Duration.ofMillis((Long) fields.get(2)), (String) fields.get(3),
                Boolean.parseBoolean((String) fields.get(4)));
    }

    /** {@code generation|STATE|openWaitMillis|byHand|origin}; {@code null} when it is not one. */
    static FleetState parse(String message) {
        String[] parts = message.split("\\|", 5);
        try {
            return new FleetState(State.valueOf(parts[1]), Long.parseLong(parts[0]),
                    Duration.ofMillis(Long.parseLong(parts[2])), parts[4], Boolean.parseBoolean(parts[3]));
        } catch (RuntimeException notOurs) {
            return null;
        }
    }

    /** One breaker's subscription: messages and the fleet's return, handed to the work executor. */
    private final class Subscribed {

        private final String name;
        private final Consumer<FleetState> onState;
        private final Runnable onReachableAgain;
        private volatile boolean cancelled;

        Subscribed(String name, Consumer<FleetState> onState, Runnable onReachableAgain) {
            this.name = name;
            this.onState = onState;
            this.onReachableAgain = onReachableAgain;
        }

        void message(String message) {
            FleetState state = parse(message);
            if (state == null) {
                logger.debug("Ignored a message on " + channel(name) + " that is no circuit breaker state: " + message);
                return;
            }
            if (!cancelled) {
                work.execute(() -> onState.accept(state));
            }
        }

        void reachableAgain() {
            if (!cancelled) {
                work.execute(onReachableAgain);
            }
        }

        void cancel() {
            cancelled = true;
            subscriptions.remove(this);
        }
    }
}
