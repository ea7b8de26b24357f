package dev.resilience.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Starts every benchmark's context through its own {@code @Setup} (which fails on a context that is not wired as
 * claimed) and runs each benchmark method once: the build proves the benchmarks are runnable without running JMH.
 */
class BenchmarkWiringTest {

    @Test
    void baseline() {
        BaselineBenchmark benchmark = new BaselineBenchmark();
        benchmark.start();
        try {
            assertThat(benchmark.direct()).isEqualTo("ok");
            assertThat(benchmark.noopProxy()).isEqualTo("ok");
            assertThat(benchmark.monoNoopProxy(new MonoSink())).isEqualTo("ok");
        }
        finally {
            benchmark.stop();
        }
    }

    @Test
    void ours() {
        OursBenchmark benchmark = new OursBenchmark();
        benchmark.start();
        try {
            assertThat(benchmark.circuitBreaker()).isEqualTo("ok");
            assertThat(benchmark.retry()).isEqualTo("ok");
            assertThat(benchmark.bulkhead()).isEqualTo("ok");
            assertThat(benchmark.adaptiveBulkhead()).isEqualTo("ok");
            assertThat(benchmark.rateLimiter()).isEqualTo("ok");
            assertThat(benchmark.timeout()).isEqualTo("ok");
            assertThat(benchmark.fallback()).isEqualTo("ok");
            assertThat(benchmark.threeStacked()).isEqualTo("ok");
            assertThat(benchmark.allFive()).isEqualTo("ok");
            assertThat(benchmark.openBreakerWithFallback()).isEqualTo(OurService.FALLBACK_VALUE);
            assertThat(benchmark.circuitBreakerAsync()).isCompletedWithValue("ok");
            MonoSink sink = new MonoSink();
            assertThat(List.of(benchmark.monoCircuitBreaker(sink), benchmark.monoRetry(sink), benchmark.monoBulkhead(sink),
                    benchmark.monoTimeout(sink), benchmark.monoFallback(sink), benchmark.monoAllFive(sink)))
                    .containsOnly("ok");
        }
        finally {
            benchmark.stop();
        }
    }

    @Test
    void sharedCircuitBreaker() {
        SharedCircuitBreakerBenchmark benchmark = new SharedCircuitBreakerBenchmark();
        benchmark.start();
        try {
            assertThat(benchmark.localCircuitBreaker()).isEqualTo("ok");
            assertThat(benchmark.sharedCircuitBreaker()).isEqualTo("ok");
        }
        finally {
            benchmark.stop();
        }
    }

    @Test
    void resilience4j() {
        Resilience4jBenchmark benchmark = new Resilience4jBenchmark();
        benchmark.start();
        try {
            assertThat(benchmark.circuitBreaker()).isEqualTo("ok");
            assertThat(benchmark.retry()).isEqualTo("ok");
            assertThat(benchmark.bulkhead()).isEqualTo("ok");
            assertThat(benchmark.rateLimiter()).isEqualTo("ok");
            assertThat(benchmark.threeStacked()).isEqualTo("ok");
            assertThat(benchmark.openBreakerWithFallback()).isEqualTo(OurService.FALLBACK_VALUE);
            MonoSink sink = new MonoSink();
            assertThat(List.of(benchmark.monoCircuitBreaker(sink), benchmark.monoRetry(sink), benchmark.monoBulkhead(sink),
                    benchmark.monoTimeout(sink), benchmark.monoAllFive(sink))).containsOnly("ok");
        }
        finally {
            benchmark.stop();
        }
    }

    @Test
    void spring() {
        SpringResilienceBenchmark benchmark = new SpringResilienceBenchmark();
        benchmark.start();
        try {
            assertThat(benchmark.retryable()).isEqualTo("ok");
            assertThat(benchmark.concurrencyLimit()).isEqualTo("ok");
        }
        finally {
            benchmark.stop();
        }
    }
}
