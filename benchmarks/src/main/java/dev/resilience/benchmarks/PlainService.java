package dev.resilience.benchmarks;

import reactor.core.publisher.Mono;

/** The method every benchmark calls, with no annotation: the floor for {@code direct} and {@code noopProxy}. */
public class PlainService {

    public String call() {
        return "ok";
    }

    /** The body of every Mono benchmark: the floor for {@code monoNoopProxy}. */
    public Mono<String> mono() {
        return Mono.just("ok");
    }
}
