package dev.resilience.autoconfigure;

import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code resilience.ratelimiter.*}: Resilience4j's keys and defaults, the rate shorthand, and strict values. */
class RateLimiterSettingsTest {

    private static final String PARTNER = "resilience.ratelimiter.instances.partner.";

    @Test
    void withNothingSetEveryInstanceGetsResilience4jsDefaults() {
        RateLimiterProperties properties = bind(RateLimiterProperties.class);

        assertThat(properties.configFor("any")).isEqualTo(RateLimiterConfig.ofDefaults());
        assertThat(properties.instanceNames()).isEmpty();
    }

    @Test
    void everyKeyIsBoundAndTheInstanceOverridesItsTemplate() {
        RateLimiterProperties properties = bind(RateLimiterProperties.class,
                "resilience.ratelimiter.configs.default.limit-for-period=10",
                "resilience.ratelimiter.configs.default.limit-refresh-period=1s",
                "resilience.ratelimiter.configs.default.timeout-duration=0",
                "resilience.ratelimiter.configs.wide.max-keys=100000",
                PARTNER + "limit-for-period=3",
                PARTNER + "timeout-duration=250ms",
                PARTNER + "max-keys=500",
                PARTNER + "shared=false",
                "resilience.ratelimiter.instances.other.base-config=wide");

        assertThat(properties.configFor("partner")).isEqualTo(RateLimiterConfig.builder().limitForPeriod(3)
                .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ofMillis(250)).maxKeys(500)
                .build());
        assertThat(properties.configFor("unconfigured").limitForPeriod()).isEqualTo(10);
        assertThat(properties.configFor("other")).as("another template, not the default one")
                .isEqualTo(RateLimiterConfig.builder().maxKeys(100_000).build());
        assertThat(properties.instanceNames()).containsExactly("partner", "other");
    }

    @Test
    void theRateShorthandSetsBothKeysOfItsInstanceOrTemplate() {
        RateLimiterProperties properties = bind(RateLimiterProperties.class,
                "resilience.ratelimiter.configs.default.rate=100-M",
                PARTNER + "rate=1000-h",
                "resilience.ratelimiter.instances.fewer.limit-for-period=7",
                "resilience.ratelimiter.instances.slower.limit-refresh-period=1h");

        assertThat(properties.configFor("partner")).extracting(RateLimiterConfig::limitForPeriod,
                RateLimiterConfig::limitRefreshPeriod).containsExactly(1000, Duration.ofHours(1));
        assertThat(properties.configFor("any")).extracting(RateLimiterConfig::limitForPeriod,
                RateLimiterConfig::limitRefreshPeriod).containsExactly(100, Duration.ofMinutes(1));
        // an instance's own key wins over the template's rate, key by key
        assertThat(properties.configFor("fewer")).extracting(RateLimiterConfig::limitForPeriod,
                RateLimiterConfig::limitRefreshPeriod).containsExactly(7, Duration.ofMinutes(1));
        assertThat(properties.configFor("slower")).extracting(RateLimiterConfig::limitForPeriod,
                RateLimiterConfig::limitRefreshPeriod).containsExactly(100, Duration.ofHours(1));
    }

    @Test
    void anInstancesRateWinsOverItsTemplatesKeys() {
        RateLimiterProperties properties = bind(RateLimiterProperties.class,
                "resilience.ratelimiter.configs.default.limit-for-period=10",
                "resilience.ratelimiter.configs.default.limit-refresh-period=10s",
                PARTNER + "rate=2-S");

        assertThat(properties.configFor("partner")).extracting(RateLimiterConfig::limitForPeriod,
                RateLimiterConfig::limitRefreshPeriod).containsExactly(2, Duration.ofSeconds(1));
    }

    @Test
    void aRateThatIsNotOfTheFormFailsTheStartNamingTheProperty() {
        assertStartFails(PARTNER + "rate=abc", "Invalid value 'abc' for property '" + PARTNER + "rate': must be "
                + "N-S, N-M, N-H or N-D: N permits a second, a minute, an hour or a day, N a whole number from 1 to "
                + "2147483647 (for example 1000-H)");
        assertStartFails("resilience.ratelimiter.configs.default.rate=0-S",
                "Invalid value '0-S' for property 'resilience.ratelimiter.configs.default.rate': must be N-S");
    }

    @Test
    void aRateNextToOneOfItsKeysFailsTheStart() {
        assertStartFails(new String[] {PARTNER + "rate=5-S", PARTNER + "limit-refresh-period=1m"},
                "Invalid value '5-S' for property '" + PARTNER + "rate': must not be set together with "
                        + "limit-for-period or limit-refresh-period on the same instance or template: it sets both");
    }

    @Test
    void zeroPeriodsNegativeLimitsAndNegativeTimeoutsFailTheStartNamingTheProperty() {
        assertStartFails(PARTNER + "limit-refresh-period=0",
                "Invalid value '0s' for property '" + PARTNER + "limit-refresh-period': must be a positive duration");
        assertStartFails(PARTNER + "limit-for-period=-5",
                "Invalid value '-5' for property '" + PARTNER + "limit-for-period': must be at least 1");
        assertStartFails(PARTNER + "limit-for-period=0",
                "Invalid value '0' for property '" + PARTNER + "limit-for-period': must be at least 1");
        assertStartFails(PARTNER + "timeout-duration=-1s", "Invalid value '-1s' for property '" + PARTNER
                + "timeout-duration': must be zero or a positive duration");
        assertStartFails(PARTNER + "max-keys=0",
                "Invalid value '0' for property '" + PARTNER + "max-keys': must be at least 1");
        assertStartFails("resilience.ratelimiter.configs.default.limit-refresh-period=-1ms",
                "Invalid value '-1ms' for property 'resilience.ratelimiter.configs.default.limit-refresh-period': "
                        + "must be a positive duration");
    }

    @Test
    void sharedWithoutFleetModeFailsTheStartNamingWhereItWasSet() {
        ApplicationContextRunner starter = new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));
        starter.withPropertyValues(PARTNER + "shared=true", PARTNER + "limit-refresh-period=1s").run(context ->
                assertThat(invalidProperty(context.getStartupFailure()).getMessage()).isEqualTo("Invalid value 'true' "
                        + "for property '" + PARTNER + "shared': needs fleet mode (resilience.fleet.enabled=true, with "
                        + "spring-boot-starter-data-redis): without it each instance would admit the whole limit on "
                        + "its own. Turn fleet mode on, or set shared to false to limit each instance by itself"));
        starter.withPropertyValues("resilience.ratelimiter.configs.default.shared=true",
                "resilience.ratelimiter.configs.default.limit-refresh-period=1s").run(context ->
                assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.ratelimiter.configs.default.shared"));
        starter.withPropertyValues(PARTNER + "shared=false", PARTNER + "limit-refresh-period=1s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aSharedLimiterNeedsAPeriodOfAtLeastAMillisecond() {
        assertStartFails(PARTNER + "shared=true", "Invalid value '500ns' for property '" + PARTNER
                + "limit-refresh-period': must be at least 1ms for a shared rate limiter");
        assertThat(bind(RateLimiterProperties.class, PARTNER + "shared=true", PARTNER + "rate=10-S")
                .configFor("partner").shared()).isTrue();
    }

    @Test
    void aMisspeltKeyFailsTheStartWithTheKeyMeant() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withPropertyValues(PARTNER + "limit-for-perod=5")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new UnknownResiliencePropertyFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("    Property: " + PARTNER + "limit-for-perod")
                            .contains("did you mean '" + PARTNER + "limit-for-period'?");
                });
    }

    @Test
    void theRegistryCreatesEveryConfiguredInstanceAtStart() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withPropertyValues(PARTNER + "rate=5-S")
                .run(context -> assertThat(context.getBean(RateLimiterRegistry.class).find("partner"))
                        .hasValueSatisfying(limiter -> assertThat(limiter.getConfig().limitForPeriod()).isEqualTo(5)));
    }

    @Test
    void aBadValueFailsTheWholeStarter() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withPropertyValues(PARTNER + "rate=often")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo(PARTNER + "rate"));
    }

    private static void assertStartFails(String property, String messageStart) {
        assertStartFails(new String[] {property}, messageStart);
    }

    private static void assertStartFails(String[] properties, String messageStart) {
        runner().withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith(messageStart);
        });
        RateLimiterProperties bound = bind(RateLimiterProperties.class, properties);
        assertThatThrownBy(bound::validate).isInstanceOf(InvalidResiliencePropertyException.class)
                .hasMessageStartingWith(messageStart);
    }
}
