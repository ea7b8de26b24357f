package dev.resilience.autoconfigure;

import dev.resilience.actuate.ObservationChainDecorator;
import dev.resilience.aop.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static dev.resilience.autoconfigure.SettingsTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code resilience.enabled}: true, false or unset as before; anything that is not a boolean fails the start. */
@ExtendWith(OutputCaptureExtension.class)
class ResilienceEnabledTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                    ResilienceObservationAutoConfiguration.class));

    @Test
    void unsetSwitchesTheStarterOn() {
        runner.run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(CircuitBreakerRegistry.class)
                .hasSingleBean(ResilienceAnnotationBeanPostProcessor.class)
                .hasSingleBean(ObservationChainDecorator.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "TRUE", "True"})
    void trueSwitchesTheStarterOn(String value) {
        runner.withPropertyValues("resilience.enabled=" + value).run(context -> assertThat(context).hasNotFailed()
                .hasSingleBean(CircuitBreakerRegistry.class)
                .hasSingleBean(ObservationChainDecorator.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "FALSE", "False"})
    void falseSwitchesTheStarterOff(String value) {
        runner.withPropertyValues("resilience.enabled=" + value).run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(CircuitBreakerRegistry.class)
                .doesNotHaveBean(ResilienceAnnotationBeanPostProcessor.class)
                .doesNotHaveBean(ObservationChainDecorator.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "on", "no", "off"})
    void theOtherBooleanSpellingsOfSpringBootMeanWhatTheySay(String value) {
        boolean on = value.equals("yes") || value.equals("on");
        runner.withPropertyValues("resilience.enabled=" + value).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(CircuitBreakerRegistry.class)).hasSize(on ? 1 : 0);
        });
    }

    @Test
    void aValueThatIsNotABooleanFailsTheStartWithSpringBootsBindingError() {
        runner.withPropertyValues("resilience.enabled=maybe").run(context -> {
            assertThat(context).hasFailed();
            BindException bind = bindFailure(context.getStartupFailure());
            assertThat(bind.getName()).hasToString("resilience.enabled");
            assertThat(bind.getProperty().getValue()).isEqualTo("maybe");
            assertThat(bind.getProperty().getOrigin()).isNotNull();
            assertThat(messages(context.getStartupFailure()))
                    .contains("Failed to bind properties under 'resilience.enabled' to java.lang.Boolean")
                    .contains("maybe");
        });
    }

    @Test
    void theObservationPartAloneFailsTheStartToo() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceObservationAutoConfiguration.class))
                .withPropertyValues("resilience.enabled=maybe")
                .run(context -> assertThat(bindFailure(context.getStartupFailure()).getName())
                        .hasToString("resilience.enabled"));
    }

    @Test
    void aBlankValueFailsTheStartRatherThanSwitchingTheStarterOffOrOn() {
        runner.withPropertyValues("resilience.enabled=").run(context -> {
            assertThat(context).hasFailed();
            BindException bind = bindFailure(context.getStartupFailure());
            assertThat(bind.getName()).hasToString("resilience.enabled");
            assertThat(bind.getProperty().getValue()).isEqualTo("");
        });
    }

    @Test
    void theFailureAnalysisNamesThePropertyTheValueAndWhereItWasSet(CapturedOutput output) {
        SpringApplicationBuilder application = new SpringApplicationBuilder(StarterOnly.class)
                .web(WebApplicationType.NONE)
                .properties("resilience.enabled=maybe", "spring.main.banner-mode=off");

        assertThatThrownBy(() -> application.run().close()).hasRootCauseMessage("Invalid boolean value 'maybe'");
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Failed to bind properties under 'resilience.enabled' to java.lang.Boolean")
                .contains("Property: resilience.enabled")
                .contains("Value: \"maybe\"")
                .contains("Origin: \"resilience.enabled\" from property source \"defaultProperties\"");
    }

    @Test
    void theConditionExplainsItselfInTheReport() {
        runner.run(context -> assertThat(outcomeOf(context, ResilienceAutoConfiguration.class))
                .isEqualTo("@ConditionalOnResilienceEnabled 'resilience.enabled' is not set: on by default"));
        runner.withPropertyValues("resilience.enabled=true")
                .run(context -> assertThat(outcomeOf(context, ResilienceObservationAutoConfiguration.class))
                        .isEqualTo("@ConditionalOnResilienceEnabled 'resilience.enabled' is true"));
        runner.withPropertyValues("resilience.enabled=false")
                .run(context -> assertThat(outcomeOf(context, ResilienceAutoConfiguration.class))
                        .isEqualTo("@ConditionalOnResilienceEnabled 'resilience.enabled' is false"));
    }

    private static String outcomeOf(ConfigurableApplicationContext context, Class<?> autoConfiguration) {
        return ConditionEvaluationReport.get(context.getBeanFactory()).getConditionAndOutcomesBySource()
                .get(autoConfiguration.getName()).stream()
                .filter(outcome -> outcome.getCondition() instanceof OnResilienceEnabledCondition)
                .findFirst().orElseThrow().getOutcome().getMessage();
    }

    private static BindException bindFailure(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindException bind) {
                return bind;
            }
        }
        throw new AssertionError("no BindException in the cause chain of " + failure, failure);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ResilienceAutoConfiguration.class, ResilienceObservationAutoConfiguration.class})
    static class StarterOnly {
    }
}
