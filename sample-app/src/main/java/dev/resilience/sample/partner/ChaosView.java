package dev.resilience.sample.partner;

import java.time.Duration;

/**
 * What {@code /partner/chaos} answers: the current chaos and how many calls the partner has received since
 * the application started (the count keeps running across chaos changes, so a client compares two readings).
 *
 * @param failureRate   the share of calls that fail, 0 to 1
 * @param status        the HTTP status of a failed call
 * @param latency       the wait before every answer, e.g. {@code 3s} or {@code 250ms}
 * @param latencyPerConcurrentCall the further wait for each call being served at once
 * @param receivedCalls the calls {@code GET /partner/offers/hot} has received
 * @param concurrentCalls the calls being served right now
 */
public record ChaosView(double failureRate, int status, String latency, String latencyPerConcurrentCall,
        long receivedCalls, int concurrentCalls) {

    static ChaosView of(Chaos chaos, long receivedCalls, int concurrentCalls) {
        return new ChaosView(chaos.failureRate(), chaos.status(), format(chaos.latency()),
                format(chaos.latencyPerConcurrentCall()), receivedCalls, concurrentCalls);
    }

    private static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
