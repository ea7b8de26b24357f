package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Settings are strict: a key under {@code resilience.} that nothing binds fails the start, naming the key as it was
 * written, where it was set and the closest known key; every key of the README's table, in every spelling relaxed
 * binding accepts, still starts.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownKeysTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    private final UnknownResiliencePropertyFailureAnalyzer analyzer = new UnknownResiliencePropertyFailureAnalyzer();

    @Test
    void aMisspeltKeyOfAnInstanceFailsTheStartNamingTheKeyWhereItWasSetAndTheKeyMeant() {
        runner.withInitializer(SettingsTestSupport.yaml("strict/typo.yml")).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).isEqualTo(String.format("A setting of the Resilience starter has "
                    + "a key it does not know, so it would have no effect:%n%n"
                    + "    Property: resilience.circuitbreaker.instances.partner.failure-rate-treshold%n"
                    + "    Value: \"20\"%n"
                    + "    Origin: class path resource [strict/typo.yml] - 5:32%n"
                    + "    Reason: unknown key; did you mean "
                    + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold'?"));
            assertThat(analysis.getAction()).startsWith("Correct the key, or remove it.");
        });
    }

    @Test
    void springBootPrintsTheAnalysisWhenTheApplicationStarts(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Starter.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run("--spring.config.location=classpath:strict/typo.yml"));

        assertThat(output).contains("APPLICATION FAILED TO START", String.format(
                "    Property: resilience.circuitbreaker.instances.partner.failure-rate-treshold%n"
                        + "    Value: \"20\"%n"
                        + "    Origin: class path resource [strict/typo.yml] - 5:32%n"
                        + "    Reason: unknown key; did you mean "
                        + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold'?"),
                "Action:", "Correct the key, or remove it.");
        assertThat(output).doesNotContain("Binding to target");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "resilience.circuitbreaker.instance.partner.failure-rate-threshold, "
                    + "resilience.circuitbreaker.instances.partner.failure-rate-threshold",
            "resilience.circuitbreaker.instances.partner.failureRateTreshold, "
                    + "resilience.circuitbreaker.instances.partner.failure-rate-threshold",
            "resilience.circuitbreaker.instances.partner.failure_rate_treshold, "
                    + "resilience.circuitbreaker.instances.partner.failure-rate-threshold",
            "resilience.retry.configs.default.max-attemps, resilience.retry.configs.default.max-attempts",
            "resilience.retry.instances[Partner.fetch].wait-durration, resilience.retry.instances[Partner.fetch].wait-duration",
            "resilience.timeout.instances.partner.timeout-durration, resilience.timeout.instances.partner.timeout-duration",
            "resilience.bulkhead.instances.db.max-concurent-calls, resilience.bulkhead.instances.db.max-concurrent-calls",
            "resilience.bulkhead.instance.db.max-concurent-calls, resilience.bulkhead.instances.db.max-concurrent-calls",
            "resilience.circuitbreaker.configs.default.record-exception, "
                    + "resilience.circuitbreaker.configs.default.record-exceptions",
    })
    void aMistypedKeyOfAKindFailsTheStartWithTheClosestKey(String typed, String meant) {
        runner.withPropertyValues(typed + "=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(unbound(context).getUnboundProperties()).singleElement()
                    .satisfies(property -> assertThat(KnownKeys.written(property.getName())).isEqualTo(typed));
            assertThat(analysis(context).getDescription())
                    .contains("    Property: " + typed + String.format("%n"))
                    .contains("    Reason: unknown key; did you mean '" + meant + "'?");
        });
    }

    /** Keys Resilience4j has and this starter does not (or has for another kind only). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "resilience.circuitbreaker.instances.partner.register-health-indicator, "
                    + "resilience.circuitbreaker.instances.partner, allow-health-indicator-to-fail",
            "resilience.circuitbreaker.configs.default.writable-stack-trace-enabled, "
                    + "resilience.circuitbreaker.configs.default, sliding-window-type",
            "resilience.circuitbreaker.instances.partner.record-failure-predicate, "
                    + "resilience.circuitbreaker.instances.partner, record-exceptions",
            "resilience.circuitbreaker.instances.partner.enable-exponential-backoff, "
                    + "resilience.circuitbreaker.instances.partner, event-consumer-buffer-size",
            "resilience.retry.instances.partner.event-consumer-buffer-size, "
                    + "resilience.retry.instances.partner, retry-on-circuit-breaker-open",
            "resilience.retry.instances.partner.fail-after-max-attempts, "
                    + "resilience.retry.instances.partner, max-attempts",
            "resilience.timeout.instances.partner.event-consumer-buffer-size, "
                    + "resilience.timeout.instances.partner, cancel-running-future",
            "resilience.bulkhead.instances.partner.writable-stack-trace-enabled, "
                    + "resilience.bulkhead.instances.partner, max-concurrent-calls",
            "resilience.circuitbreaker.circuit-breaker-aspect-order, resilience.circuitbreaker, instances",
    })
    void aResilience4jKeyWithoutACounterpartFailsTheStartListingTheKeysThere(String key, String at, String oneOfThem) {
        runner.withPropertyValues(key + "=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context).getDescription())
                    .contains("    Property: " + key + String.format("%n"))
                    .containsPattern("Reason: unknown key; the keys under '" + at.replace(".", "\\.")
                            + "' are: [a-z, -]*\\b" + oneOfThem + "\\b");
        });
    }

    @Test
    void aMisspeltKindFailsTheStartBeforeAnyBeanIsCreated() {
        runner.withInitializer(SettingsTestSupport.yaml("strict/kind-typo.yml")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(UnknownResiliencePropertiesException.class);
            assertThat(analysis(context).getDescription()).isEqualTo(String.format("A setting of the Resilience "
                    + "starter has a key it does not know, so it would have no effect:%n%n"
                    + "    Property: resilience.circuitbraker.instances.partner.failure-rate-threshold%n"
                    + "    Value: \"20\"%n"
                    + "    Origin: class path resource [strict/kind-typo.yml] - 5:33%n"
                    + "    Reason: unknown key; did you mean "
                    + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold'?"));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "resilience.circuitbraker.instances.partner.failure-rate-treshold, "
                    + "resilience.circuitbreaker.instances.partner.failure-rate-threshold",
            "resilience.rety.instances.partner.max-attempts, resilience.retry.instances.partner.max-attempts",
            "resilience.timeouts.configs.default.timeout-duration, resilience.timeout.configs.default.timeout-duration",
            "resilience.bulkheads.instances.db.max-concurrent-calls, resilience.bulkhead.instances.db.max-concurrent-calls",
            "resilience.enable, resilience.enabled",
            "resilience.web.declared-in-test-metdata, resilience.web.declared-in-test-metadata",
            "resilience.dashboard.intervall, resilience.dashboard.interval",
            "resilience.fleet.comand-timeout, resilience.fleet.command-timeout",
    })
    void aKeyOfNoKindFailsTheStartWithTheClosestKey(String typed, String meant) {
        runner.withPropertyValues(typed + "=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).isInstanceOf(UnknownResiliencePropertiesException.class);
            assertThat(analysis(context).getDescription())
                    .contains("    Property: " + typed + String.format("%n"))
                    .contains("    Reason: unknown key; did you mean '" + meant + "'?");
        });
    }

    /** The contract names these, but they are not built yet: until they are, they would silently do nothing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "resilience.foo, resilience",
    })
    void aKeyOfNothingBuiltFailsTheStartListingTheKeysThere(String key, String at) {
        runner.withPropertyValues(key + "=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context).getDescription())
                    .contains("    Property: " + key + String.format("%n"))
                    .contains("    Reason: unknown key; the keys under '" + at + "' are: ");
        });
        runner.withPropertyValues("resilience.foo=1").run(context -> assertThat(analysis(context).getDescription())
                .contains("the keys under 'resilience' are: bulkhead, circuitbreaker, dashboard, enabled, fleet, ratelimiter, "
                        + "resilience4j-properties, retry, timeout, web"));
    }

    @Test
    void theKeysOfAKindAddedLaterAreKnownByItsRecord() {
        runner.withUserConfiguration(LaterKind.class)
                .withPropertyValues("resilience.ratelimiter.instances.partner.limit-for-period=10").run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(LaterKind.RateLimiterProperties.class).instances().get("partner")
                            .limitForPeriod()).isEqualTo(10);
                });
    }

    @Test
    void aKeyDeclaredInTheConfigurationMetadataIsKnownAndSoAreTheKeysOfAMapItDeclares() {
        runner.withPropertyValues("resilience.web.declared-in-test-metadata=false",
                        "resilience.web.test-headers.X-Request-Id=abc")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void environmentVariablesAreNotCheckedAsSpringBootChecksNoneForUnknownFields() {
        // a Kubernetes service named 'resilience' gives every pod of the namespace these
        runner.withInitializer(SettingsTestSupport.environmentVariables(Map.of(
                        "RESILIENCE_SERVICE_HOST", "10.0.0.12",
                        "RESILIENCE_PORT", "tcp://10.0.0.12:80")))
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void nothingIsCheckedWhenTheStarterIsOff() {
        runner.withPropertyValues("resilience.enabled=false", "resilience.circuitbraker.instances.a.x=1")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void everyKeyOfTheReadmeInEveryKindWithTemplatesAndBaseConfigStarts() {
        String everyKey = read("strict/every-key.yml");
        for (ReadmeSettings.Row row : ReadmeSettings.rows()) {
            if (!row.isProperty()) {
                assertThat(everyKey).as("strict/every-key.yml sets the README's key " + row.kind() + " " + row.key())
                        .containsPattern("(?m)^ +" + row.key() + ":");
            }
        }
        String[] properties = ReadmeSettings.rows().stream().filter(ReadmeSettings.Row::isProperty)
                .map(row -> row.key() + "=" + row.defaultValue()).toArray(String[]::new);
        runner.withInitializer(SettingsTestSupport.yaml("strict/every-key.yml")).withPropertyValues(properties).run(context -> {
            assertThat(context).hasNotFailed();
            CircuitBreakerProperties circuitBreakers = context.getBean(CircuitBreakerProperties.class);
            assertThat(circuitBreakers.configFor("partner").failureRateThreshold()).isEqualTo(50f);
            assertThat(circuitBreakers.configFor("partner").slowCallDurationThreshold()).isEqualTo(Duration.ofMillis(800));
            assertThat(circuitBreakers.configFor("PartnerClient.fetch").slidingWindowSize()).isEqualTo(20);
            assertThat(circuitBreakers.instanceNames()).contains("quiet");
            assertThat(context.getBean(RetryProperties.class).configFor("partner").maxAttempts()).isEqualTo(3);
            assertThat(context.getBean(RetryProperties.class).configFor("partner").budget())
                    .isEqualTo(new dev.resilience.core.retry.RetryConfig.Budget(0.2, 20));
            assertThat(context.getBean(BulkheadProperties.class).configFor("pooled").queueCapacity()).isEqualTo(100);
        });
    }

    @Test
    void everySpellingThatRelaxedBindingAcceptsStarts() {
        runner.withPropertyValues(
                        "resilience.circuitbreaker.instances.kebab.failure-rate-threshold=10",
                        "resilience.circuitbreaker.instances.camel.failureRateThreshold=20",
                        "resilience.circuitbreaker.instances.snake.failure_rate_threshold=30",
                        "resilience.retry.instances.upper.MAX-ATTEMPTS=4")
                .withInitializer(SettingsTestSupport.environmentVariables(Map.of(
                        "RESILIENCE_CIRCUITBREAKER_INSTANCES_ENV_FAILURERATETHRESHOLD", "40",
                        "RESILIENCE_CIRCUITBREAKER_INSTANCES_LEGACY_FAILURE_RATE_THRESHOLD", "45")))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    CircuitBreakerProperties properties = context.getBean(CircuitBreakerProperties.class);
                    assertThat(properties.configFor("kebab").failureRateThreshold()).isEqualTo(10f);
                    assertThat(properties.configFor("camel").failureRateThreshold()).isEqualTo(20f);
                    assertThat(properties.configFor("snake").failureRateThreshold()).isEqualTo(30f);
                    assertThat(properties.configFor("env").failureRateThreshold()).isEqualTo(40f);
                    assertThat(context.getBean(RetryProperties.class).configFor("upper").maxAttempts()).isEqualTo(4);
                });
    }

    @Test
    void otherUnboundPropertiesAreLeftToSpringBoot() {
        new ApplicationContextRunner().withUserConfiguration(OtherStrictProperties.class)
                .withPropertyValues("other.nmae=x").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analyzer.analyze(context.getStartupFailure())).isNull();
                });
    }

    private FailureAnalysis analysis(AssertableApplicationContext context) {
        FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    private static UnboundConfigurationPropertiesException unbound(AssertableApplicationContext context) {
        for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
            if (t instanceof UnboundConfigurationPropertiesException unbound) {
                return unbound;
            }
        }
        throw new AssertionError("no UnboundConfigurationPropertiesException in " + context.getStartupFailure());
    }

    private static String read(String location) {
        try {
            return new ClassPathResource(location).getContentAsString(java.nio.charset.StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class Starter {
    }

    /** A kind the starter does not have yet: its record is all that makes its keys known. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(LaterKind.RateLimiterProperties.class)
    static class LaterKind {

        @ConfigurationProperties(value = "resilience.ratelimiter", ignoreUnknownFields = false)
        record RateLimiterProperties(Map<String, Instance> instances) {
        }

        record Instance(Integer limitForPeriod) {
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(OtherStrictProperties.Other.class)
    static class OtherStrictProperties {

        @ConfigurationProperties(value = "other", ignoreUnknownFields = false)
        record Other(String name) {
        }
    }
}
