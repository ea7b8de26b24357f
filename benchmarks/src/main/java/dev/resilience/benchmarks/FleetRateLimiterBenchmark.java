package dev.resilience.benchmarks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import dev.resilience.annotation.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.fleet.RedisServer;
import dev.resilience.fleet.SharedRateLimiter;

/**
 * A shared rate limiter's permit (fleet mode: one Lua script on Redis per call) next to a local one, as latency
 * percentiles (p50, p99 of {@link Mode#SampleTime}). The state starts a real redis-server of its own on 127.0.0.1
 * (Debian's redis-server must be installed) and one application context with fleet mode on; the limits are never
 * reached, so every call takes a permit at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FleetRateLimiterBenchmark {

    private RedisServer redis;
    private ConfigurableApplicationContext context;
    private LimitedService service;

    @Setup(Level.Trial)
    public void start() {
        redis = RedisServer.start();
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String name : new String[] {"shared", "local"}) {
            String instance = "resilience.ratelimiter.instances." + name + ".";
            properties.put(instance + "limit-for-period", BenchmarkContexts.RATE_LIMIT);
            properties.put(instance + "limit-refresh-period", "1s");
            properties.put(instance + "timeout-duration", "5s");
            properties.put(instance + "shared", Boolean.toString(name.equals("shared")));
        }
        context = BenchmarkContexts.fleet(FleetApplication.class, redis, properties);
        service = context.getBean(LimitedService.class);
        if (!(context.getBean(RateLimiterRegistry.class).get("shared") instanceof SharedRateLimiter)) {
            throw new IllegalStateException("the 'shared' rate limiter is not fleet mode's");
        }
        service.shared();
        if (context.getBean(RateLimiterRegistry.class).get("shared").getMetrics().availablePermissions()
                >= Long.parseLong(BenchmarkContexts.RATE_LIMIT)) {
            throw new IllegalStateException("the shared permit was not counted in Redis");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        context.close();
        redis.close();
    }

    /** One round trip to Redis (EVALSHA of the permit script) on the caller's thread. */
    @Benchmark
    public String sharedRateLimiter() {
        return service.shared();
    }

    /** The same limit counted in this process. */
    @Benchmark
    public String localRateLimiter() {
        return service.local();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FleetApplication {

        @Bean
        LimitedService limitedService() {
            return new LimitedService();
        }
    }

    /** The same method body under a shared and a local limiter. */
    public static class LimitedService {

        @RateLimiter(name = "shared")
        public String shared() {
            return "ok";
        }

        @RateLimiter(name = "local")
        public String local() {
            return "ok";
        }
    }
}
