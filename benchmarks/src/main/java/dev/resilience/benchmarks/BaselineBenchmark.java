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

/**
 * The floor: the method on the plain bean ({@code direct}), and on the same bean behind a class proxy whose only
 * advice is a no-op {@code MethodInterceptor} ({@code noopProxy}), which every annotation-driven library pays; for
 * the Mono benchmarks, {@code Mono.just} behind that proxy, subscribed ({@code monoNoopProxy}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class BaselineBenchmark {

    private ConfigurableApplicationContext context;
    private PlainService plain;
    private PlainService noopProxy;

    @Setup(Level.Trial)
    public void start() {
        context = BenchmarkContexts.baseline();
        plain = context.getBean("plainService", PlainService.class);
        noopProxy = context.getBean("noopProxy", PlainService.class);
        WiringChecks.baseline(plain, noopProxy);
    }

    @TearDown(Level.Trial)
    public void stop() {
        context.close();
    }

    @Benchmark
    public String direct() {
        return plain.call();
    }

    @Benchmark
    public String noopProxy() {
        return noopProxy.call();
    }

    /** Mono.just behind the no-op proxy, subscribed: the floor of every Mono benchmark. */
    @Benchmark
    public Object monoNoopProxy(MonoSink sink) {
        return sink.take(noopProxy.mono());
    }
}
