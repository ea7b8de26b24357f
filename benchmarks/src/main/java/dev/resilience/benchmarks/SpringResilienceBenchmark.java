package dev.resilience.benchmarks;

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

/** Spring Framework 7's {@code @Retryable} and {@code @ConcurrencyLimit} on the same method body. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SpringResilienceBenchmark {

    private ConfigurableApplicationContext context;
    private SpringResilienceService service;

    @Setup(Level.Trial)
    public void start() {
        context = BenchmarkContexts.spring();
        service = context.getBean(SpringResilienceService.class);
        WiringChecks.spring(context, service);
    }

    @TearDown(Level.Trial)
    public void stop() {
        context.close();
    }

    @Benchmark
    public String retryable() {
        return service.retryable();
    }

    @Benchmark
    public String concurrencyLimit() {
        return service.concurrencyLimit();
    }
}
