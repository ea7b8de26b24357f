package dev.resilience.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
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

import org.springframework.context.ConfigurableApplicationContext;

/** Resilience4j 2.4.0 ({@code resilience4j-spring-boot4}) annotations on the same method body. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class Resilience4jBenchmark {

    private ConfigurableApplicationContext context;
    private Resilience4jService service;

    @Setup(Level.Trial)
    public void start() {
        context = BenchmarkContexts.resilience4j();
        service = context.getBean(Resilience4jService.class);
        context.getBean(CircuitBreakerRegistry.class).circuitBreaker("open").transitionToForcedOpenState();
        WiringChecks.resilience4j(context, service);
    }

    @TearDown(Level.Trial)
    public void stop() {
        context.close();
    }

    @Benchmark
    public String circuitBreaker() {
        return service.circuitBreaker();
    }

    @Benchmark
    public String retry() {
        return service.retry();
    }

    @Benchmark
    public String bulkhead() {
        return service.bulkhead();
    }

    /** A limit of 10^9 permits a second: every call takes a permit at once. */
    @Benchmark
    public String rateLimiter() {
        return service.rateLimiter();
    }

    @Benchmark
    public String threeStacked() {
        return service.threeStacked();
    }

    @Benchmark
    public String openBreakerWithFallback() {
        return service.openBreakerWithFallback();
    }

    // Mono.just under each annotation, subscribed (issue 14)
    @Benchmark
    public Object monoCircuitBreaker(MonoSink sink) {
        return sink.take(service.monoCircuitBreaker());
    }

    @Benchmark
    public Object monoRetry(MonoSink sink) {
        return sink.take(service.monoRetry());
    }

    @Benchmark
    public Object monoBulkhead(MonoSink sink) {
        return sink.take(service.monoBulkhead());
    }

    @Benchmark
    public Object monoTimeout(MonoSink sink) {
        return sink.take(service.monoTimeout());
    }

    @Benchmark
    public Object monoAllFive(MonoSink sink) {
        return sink.take(service.monoAllFive());
    }
}
