package dev.resilience.autoconfigure;

import dev.resilience.core.Ticker;
import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code type: adaptive}: its keys bind with their defaults, bad values and keys of another type fail the start
 * naming the property, and the registry hands out an adaptive bulkhead timed on the application's ticker.
 */
class AdaptiveBulkheadSettingsTest {

    private static final String PARTNER = "resilience.bulkhead.instances.partner.";

    @Test
    void everyAdaptiveKeyBindsAndTheAlgorithmAcceptsItsLowerCaseName() {
        BulkheadProperties properties = bind(BulkheadProperties.class,
                PARTNER + "type=adaptive", PARTNER + "limit-algorithm=vegas", PARTNER + "initial-limit=5",
                PARTNER + "min-limit=2", PARTNER + "max-limit=50",
                "resilience.bulkhead.instances.plain.type=adaptive");

        assertThat(properties.configFor("partner")).isEqualTo(BulkheadConfig.builder()
                .type(BulkheadConfig.Type.ADAPTIVE).limitAlgorithm(BulkheadConfig.LimitAlgorithm.VEGAS)
                .initialLimit(5).minLimit(2).maxLimit(50).build());
        assertThat(properties.configFor("plain")).extracting(BulkheadConfig::limitAlgorithm,
                        BulkheadConfig::initialLimit, BulkheadConfig::minLimit, BulkheadConfig::maxLimit)
                .containsExactly(BulkheadConfig.LimitAlgorithm.GRADIENT2, 20, 1, 200);
    }

    @Test
    void theInitialLimitsDefaultMovesIntoTheRangeGiven() {
        BulkheadProperties properties = bind(BulkheadProperties.class,
                "resilience.bulkhead.instances.small.type=adaptive", "resilience.bulkhead.instances.small.max-limit=10",
                "resilience.bulkhead.instances.big.type=adaptive", "resilience.bulkhead.instances.big.min-limit=50");

        assertThat(properties.configFor("small").initialLimit()).isEqualTo(10);
        assertThat(properties.configFor("big").initialLimit()).isEqualTo(50);
    }

    @Test
    void aBadLimitFailsTheStartNamingTheProperty() {
        runner().withPropertyValues(PARTNER + "type=adaptive", PARTNER + "min-limit=0")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '0' for property '" + PARTNER + "min-limit': must be at least 1"));
        runner().withPropertyValues(PARTNER + "type=adaptive", PARTNER + "max-limit=10", PARTNER + "initial-limit=11")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '11' for property '" + PARTNER + "initial-limit': must be at most 10"));
        runner().withPropertyValues("resilience.bulkhead.configs.narrow.type=adaptive",
                        "resilience.bulkhead.configs.narrow.min-limit=30", "resilience.bulkhead.configs.narrow.max-limit=20")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '20' for property 'resilience.bulkhead.configs.narrow.max-limit': "
                                + "must be at least 30"));
        runner().withPropertyValues(PARTNER + "type=adaptive", PARTNER + "limit-algorithm=cubic")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("cubic"));
    }

    @Test
    void aKeyOfAFixedBulkheadOnAnAdaptiveOneFailsTheStart() {
        runner().withPropertyValues(PARTNER + "type=adaptive", PARTNER + "max-wait-duration=100ms")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessageStartingWith(
                        "Invalid value '100ms' for property '" + PARTNER + "max-wait-duration': is not used by an "
                                + "adaptive bulkhead: it refuses a call over its limit at once"));
        // set on the instance, under a template that makes it adaptive
        runner().withPropertyValues("resilience.bulkhead.configs.adaptive.type=adaptive",
                        PARTNER + "base-config=adaptive", PARTNER + "max-concurrent-calls=10")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith(
                        "Invalid value '10' for property '" + PARTNER + "max-concurrent-calls': is not used by an "
                                + "adaptive bulkhead"));
        runner().withPropertyValues("resilience.bulkhead.configs.default.type=adaptive",
                        "resilience.bulkhead.configs.default.queue-capacity=10")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith(
                        "Invalid value '10' for property 'resilience.bulkhead.configs.default.queue-capacity'"));
    }

    @Test
    void anAdaptiveKeyOnAnotherTypeFailsTheStart() {
        runner().withPropertyValues(PARTNER + "max-concurrent-calls=10", PARTNER + "max-limit=100")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '100' for property '" + PARTNER + "max-limit': is only for an adaptive "
                                + "bulkhead (type: adaptive), and this one is semaphore"));
        runner().withPropertyValues(PARTNER + "type=thread-pool", PARTNER + "limit-algorithm=aimd")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getMessage()).endsWith(
                        "is only for an adaptive bulkhead (type: adaptive), and this one is thread-pool"));
    }

    @Test
    void theKeysOfAnotherTypesTemplateAreNotInForceOnAnAdaptiveInstance() {
        runner().withPropertyValues("resilience.bulkhead.configs.default.max-concurrent-calls=10",
                        "resilience.bulkhead.configs.default.max-wait-duration=50ms", PARTNER + "type=adaptive")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    BulkheadConfig config = context.getBean(BulkheadProperties.class).configFor("partner");
                    assertThat(config.type()).isEqualTo(BulkheadConfig.Type.ADAPTIVE);
                    assertThat(config.maxWaitDuration()).isEqualTo(Duration.ZERO);
                    assertThat(context.getBean(BulkheadProperties.class).configFor("other").maxConcurrentCalls())
                            .isEqualTo(10);
                });
    }

    @Test
    void withoutNetflixConcurrencyLimitsAnAdaptiveBulkheadFailsTheStartSayingWhatToAdd() {
        runner().withClassLoader(new FilteredClassLoader("com.netflix.concurrency.limits"))
                .withPropertyValues(PARTNER + "type=adaptive")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value 'ADAPTIVE' for property '" + PARTNER + "type': needs Netflix concurrency-limits "
                                + "on the class path: the starter brings it; without the starter, add the dependency "
                                + "com.netflix.concurrency-limits:concurrency-limits-core"));
        runner().withClassLoader(new FilteredClassLoader("com.netflix.concurrency.limits"))
                .withPropertyValues(PARTNER + "max-concurrent-calls=3")
                .run(context -> assertThat(context).as("only an adaptive bulkhead needs it").hasNotFailed());
    }

    @Test
    void theRegistryHandsOutAnAdaptiveBulkheadTimedOnTheApplicationsTicker() {
        long[] now = {0};
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
                .withBean(Ticker.class, () -> () -> now[0])
                .withPropertyValues(PARTNER + "type=adaptive", PARTNER + "limit-algorithm=aimd",
                        PARTNER + "initial-limit=2")
                .run(context -> {
                    AdaptiveBulkhead bulkhead = (AdaptiveBulkhead) context.getBean(BulkheadRegistry.class)
                            .get("partner");
                    AdaptiveBulkhead.Permit first = bulkhead.acquirePermission();
                    bulkhead.acquirePermission().onIgnore();
                    now[0] += Duration.ofSeconds(6).toNanos(); // longer than AIMD's 5s: a drop, by the ticker's time
                    first.onSuccess();
                    assertThat(bulkhead.getLimit()).isEqualTo(1);
                });
    }
}
