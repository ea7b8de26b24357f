package dev.resilience.autoconfigure;

import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.resilience.autoconfigure.SettingsTestSupport.bind;
import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code resilience.retry.*.budget.*}: bound key by key through templates, strict values naming the property. */
class RetryBudgetSettingsTest {

    private static final String PARTNER = "resilience.retry.instances.partner.";

    private final ApplicationContextRunner starter = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void withoutARatioThereIsNoBudget() {
        assertThat(bind(RetryProperties.class).configFor("any").budget()).isNull();
        assertThat(bind(RetryProperties.class, PARTNER + "max-attempts=5").configFor("partner").budget()).isNull();
    }

    @Test
    void aRatioAloneGetsTheDefaultReserve() {
        RetryProperties properties = bind(RetryProperties.class, PARTNER + "budget.ratio=0.1");

        assertThat(properties.configFor("partner").budget()).isEqualTo(new RetryConfig.Budget(0.1, 10));
    }

    @Test
    void theKeysLayerOneByOneOverTheTemplate() {
        RetryProperties properties = bind(RetryProperties.class,
                "resilience.retry.configs.default.budget.ratio=0.2",
                "resilience.retry.configs.default.budget.min-retries-per-second=5",
                "resilience.retry.configs.strict.budget.ratio=0.05",
                "resilience.retry.configs.strict.budget.min-retries-per-second=0",
                PARTNER + "budget.min-retries-per-second=1",
                "resilience.retry.instances.other.base-config=strict",
                "resilience.retry.instances.other.budget.ratio=0.01");

        assertThat(properties.configFor("partner").budget()).isEqualTo(new RetryConfig.Budget(0.2, 1));
        assertThat(properties.configFor("unconfigured").budget()).isEqualTo(new RetryConfig.Budget(0.2, 5));
        assertThat(properties.configFor("other").budget()).isEqualTo(new RetryConfig.Budget(0.01, 0));
    }

    @Test
    void theRegistryGivesTheInstanceItsBudget() {
        starter.withPropertyValues(PARTNER + "budget.ratio=0.1", PARTNER + "budget.min-retries-per-second=3")
                .run(context -> assertThat(context.getBean(RetryRegistry.class).get("partner").getBudget())
                        .satisfies(budget -> {
                            assertThat(budget.ratio()).isEqualTo(0.1);
                            assertThat(budget.minRetriesPerSecond()).isEqualTo(3);
                            assertThat(budget.availableRetries()).isEqualTo(3);
                        }));
    }

    @Test
    void aRatioOutOfRangeFailsTheStartNamingTheProperty() {
        assertStartFails(PARTNER + "budget.ratio=0", "Invalid value '0' for property '" + PARTNER
                + "budget.ratio': must be at least 0.001 and at most 1");
        assertStartFails(PARTNER + "budget.ratio=1.5", "Invalid value '1.5' for property '" + PARTNER
                + "budget.ratio': must be at least 0.001 and at most 1");
        assertStartFails("resilience.retry.configs.default.budget.ratio=-0.1",
                "Invalid value '-0.1' for property 'resilience.retry.configs.default.budget.ratio'");
    }

    @Test
    void aNegativeReserveFailsTheStartNamingTheProperty() {
        assertStartFails(new String[] {PARTNER + "budget.ratio=0.1", PARTNER + "budget.min-retries-per-second=-1"},
                "Invalid value '-1' for property '" + PARTNER + "budget.min-retries-per-second': must be at least 0");
    }

    @Test
    void aReserveWithoutARatioFailsTheStartRatherThanBeingIgnored() {
        assertStartFails(PARTNER + "budget.min-retries-per-second=5", "Invalid value '5' for property '" + PARTNER
                + "budget.min-retries-per-second': needs budget.ratio");
    }

    @Test
    void aTemplatesReserveWithoutARatioFailsTheStartNamingTheTemplate() {
        assertStartFails("resilience.retry.configs.default.budget.min-retries-per-second=5",
                "Invalid value '5' for property 'resilience.retry.configs.default.budget.min-retries-per-second'");
    }

    @Test
    void aBadValueFailsTheWholeStarter() {
        starter.withPropertyValues(PARTNER + "budget.ratio=2")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo(PARTNER + "budget.ratio"));
    }

    @Test
    void aMisspeltBudgetKeyFailsTheStartWithTheKeyMeant() {
        starter.withPropertyValues(PARTNER + "budget.ratoi=0.1")
                .run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new UnknownResiliencePropertyFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("    Property: " + PARTNER + "budget.ratoi")
                            .contains("did you mean '" + PARTNER + "budget.ratio'?");
                });
    }

    private static void assertStartFails(String property, String messageStart) {
        assertStartFails(new String[] {property}, messageStart);
    }

    private static void assertStartFails(String[] properties, String messageStart) {
        runner().withPropertyValues(properties).run(context -> {
            assertThat(context).hasFailed();
            assertThat(invalidProperty(context.getStartupFailure()).getMessage()).startsWith(messageStart);
        });
    }
}
