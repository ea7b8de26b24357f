package dev.resilience.benchmarks;

/** The method every benchmark calls, with no annotation: the floor for {@code direct} and {@code noopProxy}. */
public class PlainService {

    public String call() {
        return "ok";
    }
}
