package dev.resilience.parity;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration must not fail to start: every value of a shared key that Resilience4j 2.4.0 accepts (through its own
 * property classes) starts here too, and where Resilience4j refuses a value we refuse it as well, except where we are
 * deliberately more lenient (a sub-millisecond or zero wait that Resilience4j cannot express) or stricter (the caps
 * that bound the memory a window takes, a rate limit so high that its permit count would overflow), each named here
 * as such.
 */
class SettingsParityTest {

    enum Kind { circuitbreaker, retry, bulkhead, ratelimiter }

    /**
     * @param expected {@code both} (both accept), {@code neither} (both refuse), {@code ours} (only we accept: we are
     *                 deliberately more lenient), {@code theirs} (only Resilience4j accepts: a deliberate cap of ours)
     */
    @ParameterizedTest(name = "{0} {1}: {3}")
    @CsvSource(delimiter = '|', textBlock = """
            circuitbreaker | sliding-window-size=0                                 | | neither
            circuitbreaker | sliding-window-size=1                                 | | both
            circuitbreaker | sliding-window-size=1000000                           | | both
            circuitbreaker | sliding-window-size=1000001                           | | theirs
            circuitbreaker | sliding-window-size=86400 | sliding-window-type=TIME_BASED | both
            circuitbreaker | sliding-window-size=86401 | sliding-window-type=TIME_BASED | theirs
            circuitbreaker | sliding-window-type=time_based                        | | both
            circuitbreaker | minimum-number-of-calls=0                             | | neither
            circuitbreaker | minimum-number-of-calls=1                             | | both
            circuitbreaker | minimum-number-of-calls=1000                          | | both
            circuitbreaker | failure-rate-threshold=0                              | | neither
            circuitbreaker | failure-rate-threshold=0.5                            | | neither
            circuitbreaker | failure-rate-threshold=1                              | | both
            circuitbreaker | failure-rate-threshold=100                            | | both
            circuitbreaker | failure-rate-threshold=100.5                          | | neither
            circuitbreaker | slow-call-rate-threshold=0.5                          | | neither
            circuitbreaker | slow-call-rate-threshold=1                            | | both
            circuitbreaker | slow-call-rate-threshold=101                          | | neither
            circuitbreaker | slow-call-duration-threshold=0                        | | neither
            circuitbreaker | slow-call-duration-threshold=1ns                      | | both
            circuitbreaker | slow-call-duration-threshold=-1ms                     | | neither
            circuitbreaker | wait-duration-in-open-state=0                         | | neither
            circuitbreaker | wait-duration-in-open-state=1ms                       | | both
            circuitbreaker | wait-duration-in-open-state=500us                     | | ours
            circuitbreaker | wait-duration-in-open-state=-1s                       | | neither
            circuitbreaker | permitted-number-of-calls-in-half-open-state=0        | | neither
            circuitbreaker | permitted-number-of-calls-in-half-open-state=1        | | both
            circuitbreaker | permitted-number-of-calls-in-half-open-state=1000001  | | theirs
            circuitbreaker | record-exceptions=java.io.IOException                 | | both
            circuitbreaker | ignore-exceptions=java.io.IOException,java.lang.IllegalStateException | | both
            circuitbreaker | record-exceptions=com.example.NoSuchException         | | neither
            retry          | max-attempts=0                                        | | neither
            retry          | max-attempts=1                                        | | both
            retry          | wait-duration=0                                       | | both
            retry          | wait-duration=-1ms                                    | | neither
            retry          | wait-duration=1ms                                     | | both
            retry          | wait-duration=0      | enable-exponential-backoff=true | ours
            retry          | wait-duration=0      | enable-randomized-wait=true     | ours
            retry          | wait-duration=500us  | enable-exponential-backoff=true | ours
            retry          | exponential-backoff-multiplier=0 | enable-exponential-backoff=true | neither
            retry          | exponential-backoff-multiplier=0.5 | enable-exponential-backoff=true,wait-duration=100ms | both
            retry          | exponential-backoff-multiplier=10 | enable-exponential-backoff=true,wait-duration=100ms | both
            retry          | exponential-max-wait-duration=1ms | enable-exponential-backoff=true,wait-duration=100ms,exponential-backoff-multiplier=2 | both
            retry          | exponential-max-wait-duration=0 | enable-exponential-backoff=true,wait-duration=100ms,exponential-backoff-multiplier=2 | neither
            retry          | randomized-wait-factor=-0.1                           | | neither
            retry          | randomized-wait-factor=0                              | | both
            retry          | randomized-wait-factor=0.99                           | | both
            retry          | randomized-wait-factor=1                              | | neither
            retry          | retry-exceptions=java.io.IOException                  | | both
            retry          | ignore-exceptions=com.example.NoSuchException         | | neither
            bulkhead       | max-concurrent-calls=0                                | | neither
            bulkhead       | max-concurrent-calls=1                                | | both
            bulkhead       | max-wait-duration=0                                   | | both
            bulkhead       | max-wait-duration=-1ms                                | | neither
            bulkhead       | max-wait-duration=10s                                 | | both
            ratelimiter    | limit-for-period=0                                    | | neither
            ratelimiter    | limit-for-period=-1                                   | | neither
            ratelimiter    | limit-for-period=1                                    | | both
            ratelimiter    | limit-for-period=2147483647 | limit-refresh-period=1s | both
            ratelimiter    | limit-for-period=2147483647 | limit-refresh-period=1ns | theirs
            ratelimiter    | limit-for-period=2 | limit-refresh-period=1ns         | both
            ratelimiter    | limit-refresh-period=0                                | | neither
            ratelimiter    | limit-refresh-period=1ns                              | | theirs
            ratelimiter    | limit-refresh-period=20ns                             | | both
            ratelimiter    | limit-refresh-period=-1ms                             | | neither
            ratelimiter    | limit-refresh-period=1d                               | | both
            ratelimiter    | timeout-duration=0                                    | | both
            ratelimiter    | timeout-duration=1ns                                  | | both
            ratelimiter    | timeout-duration=-1ms                                 | | neither
            """)
    void aValueStartsHereWhereItStartsInResilience4j(Kind kind, String key, String others, String expected) {
        Map<String, String> keys = new LinkedHashMap<>();
        if (others != null) {
            for (String pair : others.split(",")) {
                keys.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        keys.put(key.substring(0, key.indexOf('=')), key.substring(key.indexOf('=') + 1));
        SameKeys same = new SameKeys(keys);

        boolean ours = starts(same, switch (kind) {
            case circuitbreaker -> SameKeys::ourCircuitBreaker;
            case retry -> SameKeys::ourRetry;
            case bulkhead -> SameKeys::ourBulkhead;
            case ratelimiter -> SameKeys::ourRateLimiter;
        });
        boolean theirs = starts(same, switch (kind) {
            case circuitbreaker -> SameKeys::theirCircuitBreaker;
            case retry -> SameKeys::theirRetry;
            case bulkhead -> SameKeys::theirBulkhead;
            case ratelimiter -> SameKeys::theirRateLimiter;
        });

        String actual = ours && theirs ? "both" : ours ? "ours" : theirs ? "theirs" : "neither";
        assertThat(actual).as("who starts with %s", same).isEqualTo(expected);
    }

    private static boolean starts(SameKeys keys, Function<SameKeys, Object> config) {
        try {
            config.apply(keys);
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }
}
