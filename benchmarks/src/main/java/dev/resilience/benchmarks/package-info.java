/**
 * JMH benchmarks: the cost per call of the resilience annotations, next to the floor (a bare method, a proxy with
 * one no-op advice), Resilience4j's annotations and Spring Framework's own {@code @Retryable} and
 * {@code @ConcurrencyLimit}. Every benchmarked method has the same body ({@code return "ok";}, or
 * {@code return Mono.just("ok");} for the Mono benchmarks, whose caller subscribes with {@link
 * dev.resilience.benchmarks.MonoSink}) and lives on a bean of a minimal non-web Spring Boot context; each library gets
 * a context of its own. Run with {@code benchmarks/run.sh}.
 */
package dev.resilience.benchmarks;
