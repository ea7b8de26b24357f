package dev.resilience.core.ratelimiter;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterConfigTest {

    @Test
    void theDefaultsAreResilience4jsAndTheContracts() {
        RateLimiterConfig defaults = RateLimiterConfig.ofDefaults();

        assertThat(defaults.limitForPeriod()).isEqualTo(50);
        assertThat(defaults.limitRefreshPeriod()).isEqualTo(Duration.ofNanos(500));
        assertThat(defaults.timeoutDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.maxKeys()).isEqualTo(10_000);
        assertThat(defaults.shared()).isFalse();
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
    }

    @Test
    void theRateShorthandSetsBothKeys() {
        assertThat(RateLimiterConfig.builder().rate("1000-H").build())
                .extracting(RateLimiterConfig::limitForPeriod, RateLimiterConfig::limitRefreshPeriod)
                .containsExactly(1000, Duration.ofHours(1));
        assertThat(RateLimiterConfig.Rate.parse("5-S")).isEqualTo(new RateLimiterConfig.Rate(5, Duration.ofSeconds(1)));
        assertThat(RateLimiterConfig.Rate.parse("3-m")).isEqualTo(new RateLimiterConfig.Rate(3, Duration.ofMinutes(1)));
        assertThat(RateLimiterConfig.Rate.parse("2147483647-D").period()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aRateNotOfTheFormNamesTheKeyAndTheForm() {
        for (String bad : new String[] {"abc", "", "5", "5-", "-S", "0-S", "-1-S", "5-X", "5-SS", "5S", "+5-S",
                " 5-S", "2147483648-S", "99999999999999999999-M"}) {
            assertThatThrownBy(() -> RateLimiterConfig.Rate.parse(bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidConfigException.class, invalid -> {
                        assertThat(invalid.getKey()).isEqualTo("rate");
                        assertThat(invalid.getValue()).isEqualTo(bad);
                        assertThat(invalid.getReason()).isEqualTo("must be N-S, N-M, N-H or N-D: N permits a second, "
                                + "a minute, an hour or a day, N a whole number from 1 to 2147483647 "
                                + "(for example 1000-H)");
                    });
        }
    }

    @Test
    void outOfRangeValuesNameTheirKey() {
        assertInvalid(RateLimiterConfig.builder().limitForPeriod(0), "limit-for-period", "must be at least 1");
        assertInvalid(RateLimiterConfig.builder().limitForPeriod(-5), "limit-for-period", "must be at least 1");
        assertInvalid(RateLimiterConfig.builder().limitRefreshPeriod(Duration.ZERO), "limit-refresh-period",
                "must be a positive duration");
        assertInvalid(RateLimiterConfig.builder().limitRefreshPeriod(Duration.ofMillis(-1)), "limit-refresh-period",
                "must be a positive duration");
        assertInvalid(RateLimiterConfig.builder().timeoutDuration(Duration.ofMillis(-1)), "timeout-duration",
                "must be zero or a positive duration");
        assertInvalid(RateLimiterConfig.builder().maxKeys(0), "max-keys", "must be at least 1");
        assertThat(RateLimiterConfig.builder().timeoutDuration(Duration.ZERO).build().timeoutDuration()).isZero();
    }

    @Test
    void aLimitOfMoreThanAboutThreePermitsANanosecondIsRefused() {
        assertThat(RateLimiterConfig.maxLimitForPeriod(Duration.ofNanos(500))).isEqualTo(1462);
        assertThat(RateLimiterConfig.builder().limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1)).build().limitForPeriod()).isEqualTo(Integer.MAX_VALUE);
        assertThat(RateLimiterConfig.builder().limitForPeriod(1).limitRefreshPeriod(Duration.ofDays(365_000_000))
                .build().limitForPeriod()).isEqualTo(1);

        assertThatThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(3).limitRefreshPeriod(Duration.ofNanos(1))
                .build())
                .isInstanceOfSatisfying(InvalidConfigException.class, invalid -> {
                    assertThat(invalid.getKey()).isEqualTo("limit-for-period");
                    assertThat(invalid.getReason())
                            .startsWith("must be at most 2 for a limit-refresh-period of PT0.000000001S");
                });
    }

    private static void assertInvalid(RateLimiterConfig.Builder builder, String key, String reason) {
        assertThatThrownBy(builder::build).isInstanceOfSatisfying(InvalidConfigException.class, invalid -> {
            assertThat(invalid.getKey()).isEqualTo(key);
            assertThat(invalid.getReason()).isEqualTo(reason);
        });
    }
}
