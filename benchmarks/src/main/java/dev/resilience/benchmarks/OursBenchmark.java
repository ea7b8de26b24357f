package dev.resilience.benchmarks;

import java.util.concurrent.CompletableFuture;
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

import org.springframework.context.ConfigurableApplicationContext;

import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

/** Our annotations, each on the same method body; the success path unless the name says otherwise. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OursBenchmark {

    private ConfigurableApplicationContext context;
    private OurService service;

    @Setup(Level.Trial)
    public void start() {
        context = BenchmarkContexts.ours();
        service = context.getBean(OurService.class);
        context.getBean(CircuitBreakerRegistry.class).get("open").transitionToForcedOpenState();
        WiringChecks.ours(context, service);
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

    /** {@link #retry()} with a retry budget of 10 %: what the deposit of each call costs. */
    @Benchmark
    public String retryWithBudget() {
        return service.retryWithBudget();
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

    /** Synchronous, never firing (the method returns at once, the timeout is 1s). */
    @Benchmark
    public String timeout() {
        return service.timeout();
    }

    /** The fallback is never needed: the cost of standing ready. */
    @Benchmark
    public String fallback() {
        return service.fallback();
    }

    @Benchmark
    public String threeStacked() {
        return service.threeStacked();
    }

    @Benchmark
    public String allFive() {
        return service.allFive();
    }

    @Benchmark
    public String openBreakerWithFallback() {
        return service.openBreakerWithFallback();
    }

    @Benchmark
    public CompletableFuture<String> circuitBreakerAsync() {
        return service.circuitBreakerAsync();
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
    public Object monoFallback(MonoSink sink) {
        return sink.take(service.monoFallback());
    }

    @Benchmark
    public Object monoAllFive(MonoSink sink) {
        return sink.take(service.monoAllFive());
    }
}
