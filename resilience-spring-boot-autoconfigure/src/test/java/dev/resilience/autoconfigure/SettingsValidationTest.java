package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

import java.time.Duration;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.messages;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsValidationTest {

    @Test
    void anOutOfRangeThresholdFailsTheStartNamingThePropertyAndValue() {
        runner().withPropertyValues("resilience.circuitbreaker.instances.partner.failure-rate-threshold=0")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid).hasMessage("Invalid value '0' for property "
                            + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold': "
                            + "must be between 1.0 and 100.0");
                    assertThat(invalid.getProperty())
                            .isEqualTo("resilience.circuitbreaker.instances.partner.failure-rate-threshold");
                    assertThat(invalid.getValue()).isEqualTo(0f);
                    assertThat(invalid.getReason()).isEqualTo("must be between 1.0 and 100.0");
                });
    }

    @Test
    void aFractionalThresholdAboveHundredIsShownAsWritten() {
        runner().withPropertyValues("resilience.circuitbreaker.configs.default.slow-call-rate-threshold=100.5")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '100.5' for property "
                                + "'resilience.circuitbreaker.configs.default.slow-call-rate-threshold': "
                                + "must be between 1.0 and 100.0"));
    }

    @Test
    void aBadValueInATemplateIsReportedAtTheTemplateEvenThroughAnInstance() {
        runner().withPropertyValues(
                "resilience.circuitbreaker.configs.default.sliding-window-size=-5",
                "resilience.circuitbreaker.instances.partner.failure-rate-threshold=20")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(invalidProperty(context.getStartupFailure())).hasMessage("Invalid value '-5' for "
                            + "property 'resilience.circuitbreaker.configs.default.sliding-window-size': "
                            + "must be at least 1");
                });

        CircuitBreakerProperties properties = bind(CircuitBreakerProperties.class,
                "resilience.circuitbreaker.configs.small.minimum-number-of-calls=0",
                "resilience.circuitbreaker.instances.partner.base-config=small",
                "resilience.circuitbreaker.instances.partner.failure-rate-threshold=20");
        assertThatThrownBy(() -> properties.configFor("partner"))
                .isInstanceOf(InvalidResiliencePropertyException.class)
                .hasMessage("Invalid value '0' for property "
                        + "'resilience.circuitbreaker.configs.small.minimum-number-of-calls': must be at least 1");
    }

    @Test
    void anInstanceKeyOverridingABadTemplateValueIsNotReportedForTheInstance() {
        CircuitBreakerProperties properties = bind(CircuitBreakerProperties.class,
                "resilience.circuitbreaker.configs.default.sliding-window-size=-5",
                "resilience.circuitbreaker.instances.partner.sliding-window-size=10");

        assertThat(properties.configFor("partner").slidingWindowSize()).isEqualTo(10);
        assertThatThrownBy(properties::validate)
                .hasMessageContaining("'resilience.circuitbreaker.configs.default.sliding-window-size'");
    }

    @Test
    void aNegativeSizeFailsTheStart() {
        runner().withPropertyValues("resilience.bulkhead.instances.db.max-concurrent-calls=-3")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '-3' for property 'resilience.bulkhead.instances.db.max-concurrent-calls': "
                                + "must be at least 1"));
        runner().withPropertyValues("resilience.bulkhead.instances.db.queue-capacity=-1")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '-1' for property 'resilience.bulkhead.instances.db.queue-capacity': "
                                + "must be at least 0"));
        runner().withPropertyValues("resilience.retry.instances.a.max-attempts=0")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '0' for property 'resilience.retry.instances.a.max-attempts': "
                                + "must be at least 1"));
    }

    @Test
    void aZeroDurationWhereAPositiveOneIsNeededFailsTheStart() {
        runner().withPropertyValues("resilience.timeout.instances.slow.timeout-duration=0s")
                .run(context -> {
                    InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid).hasMessage("Invalid value '0s' for property "
                            + "'resilience.timeout.instances.slow.timeout-duration': must be a positive duration");
                    assertThat(invalid.getValue()).isEqualTo(Duration.ZERO);
                });
        runner().withPropertyValues("resilience.circuitbreaker.configs.default.wait-duration-in-open-state=-500ms")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '-500ms' for property "
                                + "'resilience.circuitbreaker.configs.default.wait-duration-in-open-state': "
                                + "must be a positive duration"));
    }

    @Test
    void otherRangesOfRetryAreNamedToo() {
        runner().withPropertyValues("resilience.retry.instances.a.randomized-wait-factor=1")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '1' for property 'resilience.retry.instances.a.randomized-wait-factor': "
                                + "must be at least 0 and less than 1"));
        runner().withPropertyValues("resilience.retry.configs.default.exponential-backoff-multiplier=0")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '0' for property "
                                + "'resilience.retry.configs.default.exponential-backoff-multiplier': "
                                + "must be a finite number greater than 0"));
    }

    @Test
    void anUnknownBaseConfigFailsTheStartNamingTheInstancesBaseConfig() {
        runner().withPropertyValues(
                "resilience.circuitbreaker.configs.slow.slow-call-duration-threshold=5s",
                "resilience.circuitbreaker.instances.partner.base-config=shared")
                .run(context -> {
                    InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.getProperty())
                            .isEqualTo("resilience.circuitbreaker.instances.partner.base-config");
                    assertThat(invalid.getValue()).isEqualTo("shared");
                    assertThat(invalid).hasMessage("Invalid value 'shared' for property "
                            + "'resilience.circuitbreaker.instances.partner.base-config': must name a template "
                            + "configured under 'resilience.circuitbreaker.configs' (configured templates: [slow])");
                });
    }

    @Test
    void baseConfigOnATemplateFailsTheStart() {
        runner().withPropertyValues(
                "resilience.timeout.configs.slow.timeout-duration=5s",
                "resilience.timeout.configs.slower.base-config=slow")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.timeout.configs.slower.base-config"));
    }

    @Test
    void aClassThatIsNotAThrowableFailsTheStartNamingTheListProperty() {
        runner().withPropertyValues(
                "resilience.retry.instances.a.retry-exceptions=java.io.IOException,java.lang.String")
                .run(context -> {
                    InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid).hasMessage("Invalid value 'java.lang.String' for property "
                            + "'resilience.retry.instances.a.retry-exceptions': "
                            + "must name only exception classes (subclasses of java.lang.Throwable)");
                    assertThat(invalid.getValue()).isEqualTo(String.class);
                });
        runner().withPropertyValues("resilience.circuitbreaker.configs.default.ignore-exceptions[0]=java.lang.Object")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.circuitbreaker.configs.default.ignore-exceptions"));
    }

    @Test
    void anUnknownClassNameFailsBindingNamingThePropertyAndValue() {
        runner().withPropertyValues("resilience.circuitbreaker.instances.partner.record-exceptions=com.example.Missing")
                .run(context -> {
                    assertThat(context).hasFailed();
                    BindException bind = bindFailure(context.getStartupFailure());
                    assertThat(bind.getName()).hasToString(
                            "resilience.circuitbreaker.instances.partner.record-exceptions");
                    assertThat(bind.getProperty().getValue()).isEqualTo("com.example.Missing");
                    assertThat(messages(context.getStartupFailure()))
                            .contains("Failed to bind properties under "
                                    + "'resilience.circuitbreaker.instances.partner.record-exceptions'")
                            .contains("com.example.Missing");
                });
    }

    @Test
    void anUnbindableDurationFailsBindingNamingThePropertyAndValue() {
        runner().withPropertyValues("resilience.retry.instances.a.wait-duration=abc")
                .run(context -> {
                    assertThat(context).hasFailed();
                    BindException bind = bindFailure(context.getStartupFailure());
                    assertThat(bind.getName()).hasToString("resilience.retry.instances.a.wait-duration");
                    assertThat(bind.getProperty().getValue()).isEqualTo("abc");
                    assertThat(messages(context.getStartupFailure()))
                            .contains("Failed to bind properties under 'resilience.retry.instances.a.wait-duration'")
                            .contains("'abc' is not a valid duration");
                });
    }

    private static BindException bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        throw new AssertionError("no BindException in the cause chain of " + failure, failure);
    }

    @Test
    void anUnbindableBulkheadTypeFailsBindingNamingThePropertyAndValue() {
        runner().withPropertyValues("resilience.bulkhead.instances.db.type=fork-join")
                .run(context -> {
                    BindException bind = bindFailure(context.getStartupFailure());
                    assertThat(bind.getName()).hasToString("resilience.bulkhead.instances.db.type");
                    assertThat(bind.getProperty().getValue()).isEqualTo("fork-join");
                });
    }

    @Test
    void aTooSmallEventBufferFailsTheStartWhereverItIsSet() {
        runner().withPropertyValues("resilience.circuitbreaker.configs.quiet.event-consumer-buffer-size=0")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '0' for property "
                                + "'resilience.circuitbreaker.configs.quiet.event-consumer-buffer-size': "
                                + "must be at least 1"));
        runner().withPropertyValues("resilience.circuitbreaker.instances.partner.event-consumer-buffer-size=-1")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.circuitbreaker.instances.partner.event-consumer-buffer-size"));
    }

    @Test
    void aMaxPoolSizeBelowTheCoreSizeIsNamed() {
        runner().withPropertyValues(
                "resilience.bulkhead.configs.default.max-thread-pool-size=2",
                "resilience.bulkhead.instances.pool.core-thread-pool-size=4")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '2' for property 'resilience.bulkhead.configs.default.max-thread-pool-size': "
                                + "must be at least 4"));
    }

    @Test
    void anInstanceNameWithADotIsWrittenInBracketsInThePathAsSpringWritesIt() {
        runner().withPropertyValues("resilience.circuitbreaker.instances.[PartnerClient.fetch].failure-rate-threshold=101")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty()).isEqualTo(
                        "resilience.circuitbreaker.instances[PartnerClient.fetch].failure-rate-threshold"));
        runner().withPropertyValues("resilience.retry.instances[a.b].max-attempts=0")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure())).hasMessage(
                        "Invalid value '0' for property 'resilience.retry.instances[a.b].max-attempts': "
                                + "must be at least 1"));
    }

    @Test
    void aTemplateNameWithADotIsWrittenInBracketsInThePathToo() {
        runner().withPropertyValues("resilience.timeout.configs[slow.ones].timeout-duration=0s")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.timeout.configs[slow.ones].timeout-duration"));
        runner().withPropertyValues(
                        "resilience.bulkhead.configs[pool.small].max-concurrent-calls=0",
                        "resilience.bulkhead.instances[Db.query].base-config=pool.small")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.bulkhead.configs[pool.small].max-concurrent-calls"));
        runner().withPropertyValues(
                        "resilience.timeout.configs[a.b].timeout-duration=5s",
                        "resilience.timeout.configs[c.d].base-config=a.b")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.timeout.configs[c.d].base-config"));
    }

    @Test
    void theBaseConfigAndBuiltInDefaultsOfAnInstanceWithADotAreNamedInBracketsToo() {
        runner().withPropertyValues(
                        "resilience.retry.configs.fast.max-attempts=2",
                        "resilience.retry.instances[Partner.fetch].base-config=missing")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.retry.instances[Partner.fetch].base-config"));
        // a built-in default (max-thread-pool-size) is reported where the user would set it
        runner().withPropertyValues(
                        "resilience.bulkhead.instances[Pool.run].core-thread-pool-size=4",
                        "resilience.bulkhead.instances[Pool.run].max-thread-pool-size=2")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.bulkhead.instances[Pool.run].max-thread-pool-size"));
    }

    @Test
    void thePathOfAnInstanceNameWithADotIsOneSpringBindsBackToTheSameInstance() {
        String path = invalidPropertyOf("resilience.retry.instances.[Partner.fetch].max-attempts=0").getProperty();

        assertThat(bind(RetryProperties.class, path + "=7").configFor("Partner.fetch").maxAttempts()).isEqualTo(7);
        assertThat(ConfigurationPropertyName.of(path))
                .hasToString(path);
    }

    private static InvalidResiliencePropertyException invalidPropertyOf(String pair) {
        InvalidResiliencePropertyException[] found = new InvalidResiliencePropertyException[1];
        runner().withPropertyValues(pair).run(context -> found[0] = invalidProperty(context.getStartupFailure()));
        return found[0];
    }

    @Test
    void configForAnUnknownInstanceValidatesTheDefaultTemplate() {
        TimeoutProperties properties = bind(TimeoutProperties.class,
                "resilience.timeout.configs.default.timeout-duration=0ms");

        assertThatThrownBy(() -> properties.configFor("unnamed"))
                .isInstanceOf(InvalidResiliencePropertyException.class)
                .hasMessage("Invalid value '0s' for property 'resilience.timeout.configs.default.timeout-duration': "
                        + "must be a positive duration");
    }
}
