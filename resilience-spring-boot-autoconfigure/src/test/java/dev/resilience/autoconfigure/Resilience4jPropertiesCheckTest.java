package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up hint for a migration: {@code resilience4j.*} properties without Resilience4j on the class path fail
 * the start (or, when asked, only warn) with the {@code resilience.*} settings to paste. Resilience4j's core modules
 * are on this test class path, its Spring integration (what reads {@code resilience4j.*}) is not.
 */
@ExtendWith(OutputCaptureExtension.class)
class Resilience4jPropertiesCheckTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceMigrationAutoConfiguration.class));

    private static final String[] MIGRANT = {
            "resilience4j.circuitbreaker.instances.partner.sliding-window-size=10",
            "resilience4j.circuitbreaker.instances.partner.failure-rate-threshold=50",
            "resilience4j.circuitbreaker.instances.partner.wait-duration-in-open-state=10s",
            "resilience4j.circuitbreaker.instances.partner.register-health-indicator=true",
            "resilience4j.circuitbreaker.instances.partner.record-exceptions[0]=java.io.IOException",
            "resilience4j.circuitbreaker.instances.partner.record-exceptions[1]=io.github.resilience4j.bulkhead.BulkheadFullException",
            "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=5",
            "resilience4j.circuitbreaker.circuit-breaker-aspect-order=1",
            "resilience4j.retry.instances[PartnerClient.fetch].max-attempts=3",
            "resilience4j.retry.instances[PartnerClient.fetch].wait-duration=200ms",
            "resilience4j.retry.instances[PartnerClient.fetch].retry-exceptions="
                    + "java.io.IOException,io.github.resilience4j.circuitbreaker.CallNotPermittedException",
            "resilience4j.timelimiter.instances.partner.timeout-duration=1s",
            "resilience4j.thread-pool-bulkhead.instances.reports.max-thread-pool-size=4",
            "resilience4j.thread-pool-bulkhead.instances.reports.context-propagators=com.example.MdcPropagator",
            "resilience4j.bulkhead.instances.partner.max-concurrent-calls=20",
            "resilience4j.ratelimiter.instances.partner.limit-for-period=50",
            "resilience4j.ratelimiter.instances.partner.limit-refresh-period=1s",
            "resilience4j.ratelimiter.instances.partner.register-health-indicator=true",
    };

    @Test
    void failsTheStartWithTheSettingsToPasteAndWhatDoesNotCarryOver() {
        runner.withPropertyValues(MIGRANT).run(context -> {
            assertThat(context).hasFailed();
            Resilience4jPropertiesFoundException found = rootCause(context.getStartupFailure());

            assertThat(found.getYaml()).isEqualTo("""
                    resilience:
                      bulkhead:
                        instances:
                          partner:
                            max-concurrent-calls: 20
                          reports:
                            type: thread-pool
                            max-thread-pool-size: 4
                      circuitbreaker:
                        configs:
                          default:
                            minimum-number-of-calls: 5
                        instances:
                          partner:
                            failure-rate-threshold: 50
                            record-exceptions:
                              - java.io.IOException
                              - dev.resilience.core.BulkheadFullException
                            sliding-window-size: 10
                            wait-duration-in-open-state: 10s
                      ratelimiter:
                        instances:
                          partner:
                            limit-for-period: 50
                            limit-refresh-period: 1s
                      retry:
                        instances:
                          "[PartnerClient.fetch]":
                            max-attempts: 3
                            retry-on-circuit-breaker-open: true
                            retry-exceptions: java.io.IOException,dev.resilience.core.CircuitBreakerOpenException
                            wait-duration: 200ms
                      timeout:
                        instances:
                          partner:
                            timeout-duration: 1s
                    """);
            assertThat(found.getMessage()).startsWith("The environment holds 18 Resilience4j properties (resilience4j.*), "
                    + "but Resilience4j is not on the class path")
                    .contains("resilience4j.circuitbreaker.instances.partner.failure-rate-threshold (\"resilience4j"
                            + ".circuitbreaker.instances.partner.failure-rate-threshold\" from property source \"test\")");
            assertThat(found.getAction())
                    .contains("resilience4j.circuitbreaker.instances.partner.register-health-indicator",
                            "every breaker is in the circuitBreakers health contributor")
                    .contains("resilience4j.circuitbreaker.circuit-breaker-aspect-order",
                            "the order of the annotations is fixed here")
                    .contains("resilience4j.thread-pool-bulkhead.instances.reports.context-propagators",
                            "define a TaskDecorator bean")
                    .contains("resilience4j.ratelimiter.instances.partner.register-health-indicator",
                            "rate limiters have no health contributor here")
                    .endsWith("To start anyway and only log this, set resilience.resilience4j-properties=warn.");
        });
    }

    @Test
    void readsEnvironmentVariablesToo() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("RESILIENCE4J_RETRY_INSTANCES_PARTNER_MAXATTEMPTS", "5",
                                        "RESILIENCE4J_TIMELIMITER_CONFIGS_DEFAULT_CANCELRUNNINGFUTURE", "false"))))
                .run(context -> assertThat(rootCause(context.getStartupFailure()).getYaml()).isEqualTo("""
                        resilience:
                          retry:
                            instances:
                              partner:
                                max-attempts: 5
                          timeout:
                            configs:
                              default:
                                cancel-running-future: false
                        """));
    }

    @Test
    void onlyWarnsWhenAskedAndStarts(CapturedOutput output) {
        runner.withPropertyValues("resilience.resilience4j-properties=warn",
                "resilience4j.circuitbreaker.instances.partner.failure-rate-threshold=50").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("WARN")
                    .contains("The environment holds 1 Resilience4j property (resilience4j.*)")
                    .contains("""
                                resilience:
                                  circuitbreaker:
                                    instances:
                                      partner:
                                        failure-rate-threshold: 50
                            """);
        });
    }

    @Test
    void startsQuietlyWithoutResilience4jProperties(CapturedOutput output) {
        runner.withPropertyValues("resilience.circuitbreaker.instances.partner.failure-rate-threshold=50")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output).doesNotContain("Resilience4j");
                });
    }

    @Test
    void isOffWithTheStarter() {
        runner.withPropertyValues("resilience.enabled=false",
                        "resilience4j.circuitbreaker.instances.partner.failure-rate-threshold=50")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Resilience4jPropertiesCheck.class));
    }

    @Test
    void aBadModeFailsTheStartWithBootsBindingError() {
        runner.withPropertyValues("resilience.resilience4j-properties=sometimes",
                        "resilience4j.circuitbreaker.instances.partner.failure-rate-threshold=50")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("sometimes"));
    }

    @Test
    void aRealStartPrintsTheFailureAnalysis(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MinimalApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--resilience4j.retry.instances.partner.max-attempts=5",
                "--resilience4j.retry.instances.partner.wait-duration=1s", "--spring.main.banner-mode=off"))
                .isInstanceOf(Resilience4jPropertiesFoundException.class);

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("The environment holds 2 Resilience4j properties (resilience4j.*)")
                .contains("resilience4j.retry.instances.partner.max-attempts (\"resilience4j.retry.instances.partner"
                        + ".max-attempts\" from property source \"commandLineArgs\")")
                .contains("""
                            resilience:
                              retry:
                                instances:
                                  partner:
                                    max-attempts: 5
                                    wait-duration: 1s
                        """);
    }

    @Test
    void namesTheFileAndLineOfEachSetting(CapturedOutput output) {
        SpringApplication application = new SpringApplication(MinimalApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(() -> application.run("--spring.config.location=classpath:r4j-migrant.yml",
                "--spring.main.banner-mode=off")).isInstanceOf(Resilience4jPropertiesFoundException.class);

        assertThat(output).contains("The environment holds 3 Resilience4j properties (resilience4j.*)")
                .contains("    resilience4j.circuitbreaker.instances.partner.failure-rate-threshold "
                        + "(class path resource [r4j-migrant.yml] - 6:33)")
                .contains("""
                            resilience:
                              circuitbreaker:
                                instances:
                                  partner:
                                    failure-rate-threshold: 50
                              timeout:
                                instances:
                                  partner:
                                    timeout-duration: 2s
                        """)
                .contains("resilience4j.circuitbreaker.instances.partner.register-health-indicator "
                        + "(class path resource [r4j-migrant.yml] - 7:36): every breaker is in the circuitBreakers "
                        + "health contributor");
    }

    private static Resilience4jPropertiesFoundException rootCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof Resilience4jPropertiesFoundException found) {
                return found;
            }
        }
        throw new AssertionError("no Resilience4jPropertiesFoundException in " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceMigrationAutoConfiguration.class)
    static class MinimalApplication {
    }
}
