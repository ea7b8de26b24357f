package dev.resilience.core.ratelimiter;

import dev.resilience.core.Call;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** With a key, each key has a limit of its own; at most max-keys are held, the least recently used let go first. */
class KeyedRateLimiterTest {

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final LocalRateLimiter limiter = new LocalRateLimiter("customer", RateLimiterConfig.builder()
            .limitForPeriod(2).limitRefreshPeriod(Duration.ofMinutes(1)).timeoutDuration(Duration.ZERO).maxKeys(2)
            .build(), ticker, scheduler, new ClockParker(ticker));

    /** Takes permits of the key until one is refused; answers how many it got. */
    private int permitsUntilRefused(Object key) {
        int permitted = 0;
        while (true) {
            try {
                limiter.acquirePermission(key);
                permitted++;
            } catch (RateLimitExceededException refused) {
                return permitted;
            }
        }
    }

    @Test
    void eachKeyHasItsOwnLimit() {
        assertThat(permitsUntilRefused("alice")).isEqualTo(2);
        assertThat(permitsUntilRefused("bob")).isEqualTo(2);
        assertThat(limiter.getMetrics().keys()).isEqualTo(2);
        assertThat(limiter.getMetrics().availablePermissions()).as("the limiter's own limit is untouched").isEqualTo(2);
    }

    @Test
    void aKeysPeriodsStartWithItsFirstCall() {
        limiter.acquirePermission("alice");
        ticker.advance(Duration.ofSeconds(30));
        assertThat(permitsUntilRefused("bob")).isEqualTo(2);

        ticker.advance(Duration.ofSeconds(30));

        assertThat(permitsUntilRefused("alice")).as("alice's second minute has begun").isEqualTo(2);
        assertThat(permitsUntilRefused("bob")).as("bob's first minute is only half over").isZero();
    }

    @Test
    void theLeastRecentlyUsedKeyIsLetGoBeyondMaxKeys() {
        assertThat(permitsUntilRefused("a")).isEqualTo(2);
        assertThat(permitsUntilRefused("b")).isEqualTo(2);

        limiter.acquirePermission("c");

        assertThat(limiter.getMetrics().keys()).isEqualTo(2);
        assertThat(permitsUntilRefused("b")).as("b is still held, its permits used").isZero();
        // c and b are the most recent: a was let go and comes back with a fresh limit, letting c go
        assertThat(permitsUntilRefused("a")).isEqualTo(2);
        assertThat(permitsUntilRefused("b")).isZero();
        assertThat(permitsUntilRefused("c")).as("c was let go when a came back").isEqualTo(2);
    }

    @Test
    void usingAKeyMakesItTheMostRecent() {
        permitsUntilRefused("a");
        permitsUntilRefused("b");
        assertThatThrownBy(() -> limiter.acquirePermission("a")).isInstanceOf(RateLimitExceededException.class);

        limiter.acquirePermission("c");

        assertThat(permitsUntilRefused("a")).as("a was used after b: b is the one let go").isZero();
        assertThat(permitsUntilRefused("b")).isEqualTo(2);
    }

    @Test
    void aNullKeyTakesThePermitsOfTheLimitersOwnLimit() throws Throwable {
        Call<String> call = limiter.decorate(context -> "ok", Function.identity());

        call.invoke(null);
        call.invoke(null);

        assertThatThrownBy(() -> call.invoke(null)).isInstanceOf(RateLimitExceededException.class);
        assertThatThrownBy(limiter::acquirePermission).isInstanceOf(RateLimitExceededException.class);
        assertThat(call.invoke("dave")).isEqualTo("ok");
        assertThat(limiter.getMetrics().keys()).isEqualTo(1);
    }

    @Test
    void keysAreComparedByEquals() {
        limiter.acquirePermission(new String("alice"));
        limiter.acquirePermission(new String("alice"));

        assertThatThrownBy(() -> limiter.acquirePermission("alice")).isInstanceOf(RateLimitExceededException.class);
        limiter.acquirePermission(1L);
        limiter.acquirePermission(1);
        assertThat(limiter.getMetrics().keys()).as("1L and 1 are different keys; alice was let go").isEqualTo(2);
    }

    @Test
    void aKeyFunctionThatThrowsFailsTheCallWithoutTakingAPermit() {
        IllegalStateException noKey = new IllegalStateException("no key");
        Call<String> call = limiter.decorate(context -> "ran", context -> {
            throw noKey;
        });

        assertThatThrownBy(() -> call.invoke("x")).isSameAs(noKey);
        assertThat(limiter.getMetrics().permittedCalls()).isZero();
        assertThat(limiter.getMetrics().rejectedCalls()).isZero();
    }
}
