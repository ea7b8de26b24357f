package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.resilience.autoconfigure.SettingsTestSupport.environmentVariables;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static dev.resilience.autoconfigure.SettingsTestSupport.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad value says where it was set, file and line, as Spring Boot's own binding errors do: the failure analysis
 * looks the property up in the environment, however it was written.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadValueOriginsTest {

    @Test
    void aBadValueIsSpringBootsInvalidPropertyValueNamedInCanonicalForm() {
        runner().withInitializer(yaml("strict/bad-threshold.yml")).run(context -> {
            InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
            assertThat(invalid).isInstanceOf(InvalidConfigurationPropertyValueException.class);
            assertThat(invalid.getName())
                    .isEqualTo("resilience.circuitbreaker.instances.partner.failure-rate-threshold");
            assertThat(invalid.getValue()).isEqualTo(0f);
            assertThat(invalid.getReason()).isEqualTo("must be between 1.0 and 100.0");
        });
    }

    @Test
    void theAnalysisNamesThePropertyTheValueWhereItWasSetAndTheReason() {
        FailureAnalysis analysis = analysis(runner().withInitializer(yaml("strict/bad-threshold.yml")));

        assertThat(analysis.getDescription()).isEqualTo("Invalid value '0' for property "
                + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold' (originating from "
                + "'class path resource [strict/bad-threshold.yml] - 5:33'): must be between 1.0 and 100.0");
        assertThat(analysis.getAction()).isEqualTo("Change the property "
                + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold' in your configuration "
                + "(application.properties or application.yml, an environment variable or a system property): "
                + "its value must be between 1.0 and 100.0. Or remove the property to use the default.");
    }

    @Test
    void aBadValueOfATemplateIsShownWhereTheTemplateSetsIt() {
        assertThat(analysis(runner().withInitializer(yaml("strict/bad-template.yml"))).getDescription())
                .isEqualTo("Invalid value '0' for property "
                        + "'resilience.circuitbreaker.configs.small.minimum-number-of-calls' (originating from "
                        + "'class path resource [strict/bad-template.yml] - 5:34'): must be at least 1");
    }

    @Test
    void aBadElementOfAYamlListIsShownWhereTheElementIs() {
        assertThat(analysis(runner().withInitializer(yaml("strict/bad-list-element.yml"))).getDescription())
                .isEqualTo("Invalid value 'java.lang.String' for property "
                        + "'resilience.retry.instances.partner.ignore-exceptions' (originating from "
                        + "'class path resource [strict/bad-list-element.yml] - 7:13'): "
                        + "must name only exception classes (subclasses of java.lang.Throwable)");
    }

    @Test
    void aCommaSeparatedListIsShownWhereItIs() {
        assertThat(analysis(runner().withPropertyValues(
                        "resilience.retry.instances.a.retry-exceptions=java.io.IOException,java.lang.String"))
                .getDescription()).contains("'resilience.retry.instances.a.retry-exceptions' (originating from "
                        + "'\"resilience.retry.instances.a.retry-exceptions\" from property source \"test\"')");
    }

    @Test
    void aKeyWrittenInCamelCaseIsFoundToo() {
        assertThat(analysis(runner().withInitializer(yaml("strict/bad-camel-case.yml"))).getDescription())
                .isEqualTo("Invalid value '-3' for property "
                        + "'resilience.bulkhead.instances.db.max-concurrent-calls' (originating from "
                        + "'class path resource [strict/bad-camel-case.yml] - 5:29'): must be at least 1");
    }

    @Test
    void anEnvironmentVariableInForceIsShownAndTheFileItOverridesToo() {
        FailureAnalysis analysis = analysis(runner().withInitializer(yaml("strict/good-threshold.yml"))
                .withInitializer(environmentVariables(Map.of(
                        "RESILIENCE_CIRCUITBREAKER_INSTANCES_PARTNER_FAILURERATETHRESHOLD", "0"))));

        assertThat(analysis.getDescription()).isEqualTo(String.format("Invalid value '0' for property "
                + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold' (originating from "
                + "'\"RESILIENCE_CIRCUITBREAKER_INSTANCES_PARTNER_FAILURERATETHRESHOLD\" from property source "
                + "\"systemEnvironment\"'): "
                + "must be between 1.0 and 100.0%n%n"
                + "Additionally, this property is also set in:%n%n"
                + "\t- 'strict/good-threshold.yml' with the value '20' "
                + "(originating from 'class path resource [strict/good-threshold.yml] - 5:33')"));
    }

    @Test
    void springBootPrintsTheAnalysisWhenTheApplicationStarts(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Starter.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run(
                "--spring.config.location=classpath:strict/bad-threshold.yml"));

        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", "Invalid value '0' for property "
                        + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold' (originating from "
                        + "'class path resource [strict/bad-threshold.yml] - 5:33'): must be between 1.0 and 100.0",
                "Action:", "its value must be between 1.0 and 100.0. Or remove the property to use the default.");
        // ours, not Spring Boot's analysis of the same exception
        assertThat(output).doesNotContain("for configuration property");
    }

    @Test
    void aSharedRateLimiterWithoutFleetModeNamesTheFileAndLineItWasSetIn(CapturedOutput output) {
        SpringApplication application = new SpringApplication(Starter.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatException().isThrownBy(() -> application.run(
                "--spring.config.location=classpath:strict/shared-without-fleet.yml"));

        assertThat(output).contains("APPLICATION FAILED TO START", "Invalid value 'true' for property "
                + "'resilience.ratelimiter.instances.partner.shared' (originating from 'class path resource "
                + "[strict/shared-without-fleet.yml] - 6:17'): needs fleet mode (resilience.fleet.enabled=true");
    }

    /** Starts the runner's context, which fails, and analyses the failure against its environment. */
    private static FailureAnalysis analysis(ApplicationContextRunner runner) {
        List<Environment> environment = new ArrayList<>();
        List<FailureAnalysis> analysis = new ArrayList<>();
        runner.withInitializer(context -> environment.add(context.getEnvironment())).run(context -> {
            assertThat(context).hasFailed();
            analysis.add(new InvalidResiliencePropertyFailureAnalyzer(environment.get(0))
                    .analyze(context.getStartupFailure()));
        });
        assertThat(analysis.get(0)).as("the analysis").isNotNull();
        return analysis.get(0);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class Starter {
    }
}
