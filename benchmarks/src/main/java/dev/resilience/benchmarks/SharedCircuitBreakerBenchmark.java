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

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;
import dev.resilience.fleet.RedisServer;

/**
 * A closed shared breaker next to a local one in one context in fleet mode, against a real redis-server the state
 * starts (Debian's redis-server must be installed): the same settings as {@link OursBenchmark}'s breaker, the same
 * method body. A closed shared breaker makes no Redis round trip, so the two should cost the same.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SharedCircuitBreakerBenchmark {

    private RedisServer redis;
    private ConfigurableApplicationContext context;
    private Service service;

    @Setup(Level.Trial)
    public void start() {
        redis = RedisServer.start();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("resilience.circuitbreaker.configs.default.sliding-window-type", "COUNT_BASED");
        properties.put("resilience.circuitbreaker.configs.default.sliding-window-size", "100");
        properties.put("resilience.circuitbreaker.configs.default.minimum-number-of-calls", "100");
        properties.put("resilience.circuitbreaker.instances.shared.shared", "true");
        context = BenchmarkContexts.fleet(FleetApplication.class, redis, properties);
        service = context.getBean(Service.class);
        CircuitBreakerRegistry breakers = context.getBean(CircuitBreakerRegistry.class);
        if (!(breakers.get("shared") instanceof SharedCircuitBreaker) || !(breakers.get("local") instanceof LocalCircuitBreaker)) {
            throw new IllegalStateException("expected a shared and a local breaker, found " + breakers.getAll());
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        context.close();
        redis.close();
    }

    @Benchmark
    public String localCircuitBreaker() {
        return service.local();
    }

    @Benchmark
    public String sharedCircuitBreaker() {
        return service.shared();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class FleetApplication {

        @Bean
        Service fleetBreakerService() {
            return new Service();
        }
    }

    /** The same body under a local and a shared breaker. */
    public static class Service {

        @CircuitBreaker(name = "local")
        public String local() {
            return "ok";
        }

        @CircuitBreaker(name = "shared")
        public String shared() {
            return "ok";
        }
    }
}
