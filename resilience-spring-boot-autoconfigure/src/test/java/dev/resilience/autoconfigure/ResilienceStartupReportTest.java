package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/** What the starter says at start-up: its instances per kind, and a name that is probably a typo. */
@ExtendWith(OutputCaptureExtension.class)
class ResilienceStartupReportTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class))
            .withPropertyValues("resilience.circuitbreaker.instances.partner.failure-rate-threshold=40",
                    "resilience.retry.instances.billing.max-attempts=2")
            .withBean(Client.class);

    @Test
    void listsTheInstancesOfEachKindOnce(CapturedOutput output) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(output).contains("Resilience circuit breaker instances: partner, partnr")
                    .contains("Resilience retry instances: Client.offer, billing");
            assertThat(output.getAll().split("Resilience circuit breaker instances", -1)).hasSize(2);
        });
    }

    @Test
    void warnsOfAnAnnotationNameWithinTwoEditsOfAConfiguredOne(CapturedOutput output) {
        runner.run(context -> {
            assertThat(output).contains("WARN").contains("The circuit breaker 'partnr' is configured nowhere and runs"
                    + " with the default settings; did you mean 'partner', configured under"
                    + " 'resilience.circuitbreaker.instances.partner'?");
            // far from any configured name: no warning
            assertThat(output).doesNotContain("'Client.offer' is configured nowhere");
        });
    }

    static class Client {

        @CircuitBreaker("partnr")
        @Retry
        public String offer() {
            return "offer";
        }
    }
}
