package dev.resilience.autoconfigure;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import dev.resilience.dashboard.DashboardMvcController;
import dev.resilience.dashboard.DashboardPage;
import dev.resilience.dashboard.DashboardWebFluxController;
import dev.resilience.dashboard.LiveView;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static dev.resilience.autoconfigure.SettingsTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;

/** When the live view is served: switched on, in a servlet or reactive web application; its settings checked. */
class ResilienceDashboardAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS =
            AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceDashboardAutoConfiguration.class);

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);
    private final ReactiveWebApplicationContextRunner reactive =
            new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

    @Test
    void offByDefault() {
        servlet.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveView.class)
                .doesNotHaveBean(DashboardMvcController.class).doesNotHaveBean(DashboardProperties.class));
        reactive.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveView.class));
        servlet.withPropertyValues("resilience.dashboard.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveView.class));
    }

    @Test
    void onSpringMvcItServesThePageAndStreamsWithEmitters() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LiveView.class).hasSingleBean(DashboardPage.class)
                    .hasSingleBean(DashboardMvcController.class).doesNotHaveBean(DashboardWebFluxController.class);
            LiveView view = context.getBean(LiveView.class);
            assertThat(view.isRunning()).isTrue();
            assertThat(view.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(context.getBean(DashboardProperties.class).path()).isEqualTo("/resilience/dashboard");
        });
    }

    @Test
    void onWebFluxItServesThemWithAFlux() {
        reactive.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.interval=250ms")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(DashboardWebFluxController.class)
                            .doesNotHaveBean(DashboardMvcController.class);
                    assertThat(context.getBean(LiveView.class).interval()).isEqualTo(Duration.ofMillis(250));
                });
        reactive.withPropertyValues("resilience.dashboard.enabled=true")
                .withClassLoader(new FilteredClassLoader("reactor.core."))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(DashboardWebFluxController.class));
    }

    @Test
    void offOutsideAWebApplicationAndWhenTheStarterIsOff() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .withPropertyValues("resilience.dashboard.enabled=true")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveView.class));
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(LiveView.class));
    }

    @Test
    void theViewClosesWithTheContext() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true").run(context -> {
            LiveView view = context.getBean(LiveView.class);
            context.close();
            assertThat(view.isRunning()).isFalse();
        });
    }

    @Test
    void aValueThatIsNotABooleanFailsTheStart() {
        servlet.withPropertyValues("resilience.dashboard.enabled=maybe").run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains("resilience.dashboard.enabled").contains("maybe");
        });
    }

    @Test
    void aBadIntervalOrPathFailsTheStartNamingTheProperty() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.interval=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                    assertThat(invalid.getProperty()).isEqualTo("resilience.dashboard.interval");
                    assertThat(invalid.getMessage()).contains("'0s'").contains("between 10ms and 1m");
                });
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.interval=2m")
                .run(context -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
                        .isEqualTo("resilience.dashboard.interval"));
        for (String path : List.of("dashboard", "/", "/ops/{x}", "/ops/*", "/a b", "/resilience/stream")) {
            servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.path=" + path)
                    .run(context -> {
                        assertThat(context).as(path).hasFailed();
                        InvalidResiliencePropertyException invalid = invalidProperty(context.getStartupFailure());
                        assertThat(invalid.getProperty()).isEqualTo("resilience.dashboard.path");
                    });
        }
    }

    @Test
    void anUnknownKeyFailsTheStart() {
        servlet.withPropertyValues("resilience.dashboard.enabled=true", "resilience.dashboard.intervall=2s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure())).contains("intervall");
                });
    }

    @Test
    void everyKeyIsInTheGeneratedMetadataWithItsDefaultAndADescription() throws Exception {
        DocumentContext metadata = null;
        for (URL url : Collections.list(getClass().getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = url.openStream()) {
                String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (json.contains("\"resilience.dashboard\"")) {
                    metadata = JsonPath.parse(json);
                }
            }
        }
        assertThat(metadata).as("generated metadata with group resilience.dashboard").isNotNull();
        Map<String, Object> expected = Map.of("resilience.dashboard.enabled", false,
                "resilience.dashboard.path", "/resilience/dashboard", "resilience.dashboard.interval", "1s");
        for (Map.Entry<String, Object> key : expected.entrySet()) {
            List<Map<String, Object>> found = metadata.read("$.properties[?(@.name == '" + key.getKey() + "')]");
            assertThat(found).as(key.getKey()).singleElement().satisfies(property -> {
                assertThat(property).containsEntry("defaultValue", key.getValue());
                assertThat((String) property.get("description")).isNotBlank();
            });
        }
    }
}
