package dev.resilience.autoconfigure;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.UrlResource;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import static dev.resilience.autoconfigure.SettingsTestSupport.runner;
import static org.assertj.core.api.Assertions.assertThat;

class InvalidResiliencePropertyFailureAnalyzerTest {

    private final InvalidResiliencePropertyFailureAnalyzer analyzer = new InvalidResiliencePropertyFailureAnalyzer(null);

    @Test
    void describesTheBadPropertyAndSaysWhatToChange() {
        InvalidResiliencePropertyException invalid = new InvalidResiliencePropertyException(
                "resilience.circuitbreaker.instances.partner.failure-rate-threshold", 0f,
                "must be between 1.0 and 100.0");

        FailureAnalysis analysis = analyzer.analyze(new BeanCreationException("resilienceSettings", "wrapped", invalid));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("Invalid value '0' for property "
                + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold': must be between 1.0 and 100.0");
        assertThat(analysis.getAction()).isEqualTo("Change the property "
                + "'resilience.circuitbreaker.instances.partner.failure-rate-threshold' in your configuration "
                + "(application.properties or application.yml, an environment variable or a system property): "
                + "its value must be between 1.0 and 100.0. Or remove the property to use the default.");
        assertThat(analysis.getCause()).isSameAs(invalid);
    }

    @Test
    void analyzesTheFailureOfARealStart() {
        runner().withPropertyValues("resilience.timeout.configs.default.timeout-duration=0s").run(context -> {
            FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).isEqualTo("Invalid value '0s' for property "
                    + "'resilience.timeout.configs.default.timeout-duration': must be a positive duration");
            assertThat(analysis.getAction())
                    .contains("'resilience.timeout.configs.default.timeout-duration'")
                    .contains("its value must be a positive duration");
        });
    }

    @Test
    void ignoresOtherFailures() {
        assertThat(analyzer.analyze(new IllegalStateException("something else"))).isNull();
    }

    @Test
    void isRegisteredInSpringFactories() throws Exception {
        List<String> analyzers = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            Properties factories = PropertiesLoaderUtils.loadProperties(new UrlResource(url));
            String value = factories.getProperty(FailureAnalyzer.class.getName());
            if (value != null) {
                for (String name : value.split(",")) {
                    analyzers.add(name.trim());
                }
            }
        }
        assertThat(analyzers).contains(InvalidResiliencePropertyFailureAnalyzer.class.getName());
    }

    @Test
    void valuesAreShownTheWayTheyAreWritten() {
        assertThat(InvalidResiliencePropertyException.format(0f)).isEqualTo("0");
        assertThat(InvalidResiliencePropertyException.format(100.5f)).isEqualTo("100.5");
        assertThat(InvalidResiliencePropertyException.format(-3)).isEqualTo("-3");
        assertThat(InvalidResiliencePropertyException.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(InvalidResiliencePropertyException.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(InvalidResiliencePropertyException.format(Duration.ofMinutes(-2))).isEqualTo("-2m");
        assertThat(InvalidResiliencePropertyException.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(InvalidResiliencePropertyException.format(String.class)).isEqualTo("java.lang.String");
        assertThat(InvalidResiliencePropertyException.format(null)).isEqualTo("null");
    }
}
