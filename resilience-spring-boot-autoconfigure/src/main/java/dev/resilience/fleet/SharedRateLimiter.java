package dev.resilience.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import dev.resilience.core.ratelimiter.LocalRateLimiter;
import dev.resilience.core.ratelimiter.Parker;
import dev.resilience.core.ratelimiter.PermitDecisions;
import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterListener;
import dev.resilience.core.ratelimiter.RateLimiterMetrics;
import io.lettuce.core.ScriptOutputType;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A rate limiter whose permits the whole fleet shares: the instances of the application together take at most
 * {@code limit-for-period} permits in each {@code limit-refresh-period}.
 *
 * <h2>Decisions</h2>
 * One atomic Lua script per permit request ({@link #PERMIT}) decides in Redis, with the Redis server's clock
 * ({@code TIME}: the instances' clocks play no part, however far apart they drift), the way {@link LocalRateLimiter}
 * (and Resilience4j's {@code AtomicRateLimiter}) decides in one process: periods counted from the limit's first
 * permit, unused permits of a period not carried over, a call that finds none left takes one of a later period when it
 * would come within {@code timeout-duration} (the caller then waits for it here, on its own clock), and is refused at
 * once otherwise. A limit's state is one key, {@code <prefix>ratelimiter:{<name>}} (a key's
 * {@code <prefix>ratelimiter:{<name>}:<key>}: one hash tag, one Cluster slot per limiter), written with an expiry
 * ({@code PX}) at the time its permits would be back to the full limit plus a period, so idle limits and keys leave
 * Redis by themselves; {@code max-keys} bounds only the keys of the local share below.
 *
 * <h2>Redis down or slow</h2>
 * A request Redis does not answer within {@code resilience.fleet.command-timeout} (or any request during an outage,
 * at once) is decided by a local share of the limit: a {@link LocalRateLimiter} of {@code limit-for-period / known
 * instances} permits (at least 1) per period, the known instances counted by the fleet's presence before the
 * outage. No call fails because of Redis; when Redis answers again the share is dropped and the shared count
 * resumes.
 *
 * <h2>Waiting</h2>
 * A synchronous call waits on its thread for Redis (at most the command timeout), then parks until its permit's
 * period, as the local limiter's does. An asynchronous call never blocks a thread: the script is sent with Lettuce's
 * asynchronous API, and the call is started through the shared {@link Scheduler} (off Lettuce's event loop), at
 * once or when its permit's period starts; a caller that completes (cancels) the returned future first withdraws
 * it. A call decided without waiting for Redis (during an outage) starts on the caller's thread, and one permitted at
 * once by the local share gets the method's own stage.
 */
public final class SharedRateLimiter implements RateLimiter, FleetConnection.Listener {

    private static final Log logger = LogFactory.getLog(SharedRateLimiter.class);

    /**
     * KEYS[1]: the limit's state, {@code origin:cycle:permits} (microseconds of the server's clock, the period last
     * seen, the permits left in it, negative when reserved ahead). ARGV: limit, period and timeout in microseconds.
     * Answers {wait, permits left}: wait 0 when the permit is free now, the microseconds until its period when it was
     * reserved ahead, minus the microseconds until one would be free when refused (nothing is taken).
     */
    static final FleetScript PERMIT = FleetScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local limit = tonumber(ARGV[1])
            local period = tonumber(ARGV[2])
            local timeout = tonumber(ARGV[3])
            local origin, cycle, permits = now, 0, limit
            local state = redis.call('GET', KEYS[1])
            if state then
              local o, c, p = string.match(state, '^(-?%d+):(-?%d+):(-?%d+)$')
              if o then
                origin, cycle, permits = tonumber(o), tonumber(c), tonumber(p)
              end
            end
            local current = math.floor((now - origin) / period)
            if current > cycle then
              permits = math.min(permits + (current - cycle) * limit, limit)
              cycle = current
            end
            local wait = 0
            if permits < 1 then
              local cycles = math.ceil((1 - permits - limit) / limit)
              if cycles < 0 then cycles = 0 end
              wait = cycles * period + (origin + (current + 1) * period - now)
            end
            local granted = wait <= timeout
            if granted then permits = permits - 1 end
            local full = math.ceil((limit - permits) / limit)
            local ttl = origin + (current + full + 1) * period - now
            redis.call('SET', KEYS[1], string.format('%.0f:%.0f:%.0f', origin, cycle, permits),
              'PX', math.max(1, math.ceil(ttl / 1000)))
            if granted then return {wait, permits} end
            return {-wait, permits}
            """, ScriptOutputType.MULTI);

    private static final long NANOS_PER_MICRO = 1_000L;

    /** The local share of the limit during an outage, for the known instances it was made for. */
    private record Share(int instances, LocalRateLimiter limiter) {
    }

    private final String name;
    private final RateLimiterConfig config;
    private final FleetConnection fleet;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Parker parker;
    private final String ownKey;
    private final String keyPrefix;
    private final String limitArgument;
    private final String periodArgument;
    private final String timeoutArgument;
    private final PermitDecisions decisions;
    private volatile long lastAvailable;
    private volatile Share share;

    private SharedRateLimiter(String name, RateLimiterConfig config, FleetConnection fleet, Ticker ticker,
            Scheduler scheduler, Parker parker) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.parker = Objects.requireNonNull(parker, "parker");
        long periodMicros = TimeUnit.NANOSECONDS.toMicros(config.limitRefreshPeriod().toNanos());
        if (periodMicros < 1000) {
            throw new IllegalArgumentException("a shared rate limiter's limit-refresh-period must be at least 1ms: "
                    + config.limitRefreshPeriod());
        }
        this.ownKey = fleet.key("ratelimiter:{" + name + "}");
        this.keyPrefix = ownKey + ":";
        this.limitArgument = Integer.toString(config.limitForPeriod());
        this.periodArgument = Long.toString(periodMicros);
        this.timeoutArgument = Long.toString(micros(config.timeoutDuration()));
        this.lastAvailable = config.limitForPeriod();
        this.decisions = new PermitDecisions(name, this, ticker, scheduler, parker);
    }

    /**
     * A limiter shared through {@code fleet}, listening to it (its local share is dropped when Redis is back).
     *
     * @param ticker    the time of the local share and of the waits
     * @param scheduler starts the asynchronous calls
     */
    public static SharedRateLimiter create(String name, RateLimiterConfig config, FleetConnection fleet, Ticker ticker,
            Scheduler scheduler) {
        return create(name, config, fleet, ticker, scheduler, Parker.system());
    }

    static SharedRateLimiter create(String name, RateLimiterConfig config, FleetConnection fleet, Ticker ticker,
            Scheduler scheduler, Parker parker) {
        SharedRateLimiter limiter = new SharedRateLimiter(name, config, fleet, ticker, scheduler, parker);
        fleet.addListener(limiter);
        return limiter;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public RateLimiterConfig getConfig() {
        return config;
    }

    /**
     * {@inheritDoc} The permits available are the fleet's, as the last answer of Redis gave them (the local share's
     * during an outage); the calls counted are this instance's; {@code keys} are the local share's (the shared keys
     * live in Redis).
     */
    @Override
    public RateLimiterMetrics getMetrics() {
        Share current = share;
        RateLimiterMetrics local = (current != null) ? current.limiter().getMetrics() : null;
        return new RateLimiterMetrics(local != null ? local.availablePermissions() : lastAvailable,
                decisions.waitingCalls(), decisions.permittedCalls(), decisions.rejectedCalls(),
                local != null ? local.keys() : 0);
    }

    @Override
    public void addListener(RateLimiterListener listener) {
        decisions.addListener(listener);
    }

    @Override
    public void acquirePermission() {
        acquire(null);
    }

    @Override
    public void acquirePermission(Object key) {
        acquire(key);
    }

    @Override
    public long reservePermission() {
        return reservePermission(null);
    }

    /** {@inheritDoc} A reserved permit counts as permitted, a refusal as rejected. */
    @Override
    public long reservePermission(Object key) {
        return decisions.reserved(decide(request(key), key));
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> {
            acquire(null);
            return next.invoke(context);
        };
    }

    @Override
    public <C> Call<C> decorate(Call<C> next, Function<? super C, ?> key) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(key, "key");
        return context -> {
            acquire(key.apply(context));
            return next.invoke(context);
        };
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        Objects.requireNonNull(next, "next");
        return context -> invokeAsync(next, context, null);
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next, Function<? super C, ?> key) {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(key, "key");
        return context -> {
            Object value;
            try {
                value = key.apply(context);
            } catch (RuntimeException keyFailed) {
                return CompletableFuture.failedFuture(keyFailed);
            }
            return invokeAsync(next, context, value);
        };
    }

    /** Redis answers again: the shared count resumes, and the next outage starts a fresh local share. */
    @Override
    public void onRedisAvailable() {
        share = null;
    }

    @Override
    public String toString() {
        return "SharedRateLimiter[" + name + ", " + config.limitForPeriod() + " per " + config.limitRefreshPeriod()
                + " for the fleet]";
    }

    // ---- deciding

    private CompletableFuture<List<Object>> request(Object key) {
        String stateKey = (key == null) ? ownKey : keyPrefix + key;
        return fleet.eval(PERMIT, new String[] {stateKey}, limitArgument, periodArgument, timeoutArgument);
    }

    /** The nanoseconds to wait (0: now), or minus those until a permit when refused; from Redis or the local share. */
    private long decide(CompletableFuture<List<Object>> reply, Object key) {
        try {
            return decoded(reply.get());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return locally(key, null);
        } catch (ExecutionException failed) {
            return locally(key, failed.getCause());
        }
    }

    private long decoded(List<Object> reply) {
        long wait = (Long) reply.get(0);
        lastAvailable = (Long) reply.get(1);
        return wait * NANOS_PER_MICRO;
    }

    private long locally(Object key, Throwable failure) {
        if (failure != null && !(failure instanceof FleetUnavailableException)) {
            // Redis answered with an error (a key of another type in the way): the call must not fail for it
            logger.warn("Shared rate limiter '" + name + "' decides locally: Redis answered " + failure);
        }
        int instances = fleet.knownInstances();
        Share current = share;
        if (current == null || current.instances() != instances) {
            int permits = Math.max(1, config.limitForPeriod() / instances);
            RateLimiterConfig local = config.toBuilder().limitForPeriod(permits).shared(false).build();
            current = new Share(instances, new LocalRateLimiter(name, local, ticker, scheduler, parker));
            share = current;
        }
        return (key == null) ? current.limiter().reservePermission() : current.limiter().reservePermission(key);
    }

    private void acquire(Object key) {
        decisions.await(decide(request(key), key));
    }

    // ---- asynchronous calls

    private <C> CompletionStage<Object> invokeAsync(AsyncCall<C> next, C context, Object key) {
        CompletableFuture<List<Object>> reply = request(key);
        if (reply.isDone()) {
            // decided without a round trip (an outage): on the caller's thread, as the local limiter does
            return decisions.proceed(decide(reply, key), next, context);
        }
        RelayFuture result = new RelayFuture();
        reply.whenComplete((answer, failure) -> {
            long wait;
            try {
                wait = (failure == null) ? decoded(answer) : locally(key, unwrap(failure));
            } catch (RuntimeException unexpected) {
                result.completeExceptionally(unexpected);
                return;
            }
            decisions.proceedLater(wait, result, next, context);
        });
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
    }

    private static long micros(Duration duration) {
        try {
            return TimeUnit.NANOSECONDS.toMicros(duration.toNanos());
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }
}
