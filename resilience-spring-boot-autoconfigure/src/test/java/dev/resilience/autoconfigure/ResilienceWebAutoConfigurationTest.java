package dev.resilience.autoconfigure;

import com.jayway.jsonpath.JsonPath;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.web.ResilienceExceptionHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static dev.resilience.autoconfigure.SettingsTestSupport.messages;
import static org.assertj.core.api.Assertions.assertThat;

/** When the HTTP answers apply: a servlet or reactive web application, the web classes present, the switch on. */
class ResilienceWebAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS =
            AutoConfigurations.of(ResilienceAutoConfiguration.class, ResilienceWebAutoConfiguration.class);

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS);
    private final ReactiveWebApplicationContextRunner reactive =
            new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS);

    @Test
    void onByDefaultInAServletAndInAReactiveApplication() {
        servlet.run(context -> assertThat(context).hasNotFailed().hasSingleBean(ResilienceExceptionHandler.class));
        reactive.run(context -> assertThat(context).hasNotFailed().hasSingleBean(ResilienceExceptionHandler.class));
        servlet.withPropertyValues("resilience.web.problem-details=true")
                .run(context -> assertThat(context).hasSingleBean(ResilienceExceptionHandler.class));
    }

    @Test
    void offWhenSwitchedOffOrWhenTheStarterIsOff() {
        servlet.withPropertyValues("resilience.web.problem-details=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class)
                        .hasSingleBean(CircuitBreakerRegistry.class));
        reactive.withPropertyValues("resilience.web.problem-details=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
        servlet.withPropertyValues("resilience.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
    }

    @Test
    void offOutsideAWebApplicationAndWithoutTheWebStack() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
        servlet.withClassLoader(new FilteredClassLoader("org.springframework.web.servlet."))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
        reactive.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive."))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
        servlet.withClassLoader(new FilteredClassLoader(ProblemDetail.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ResilienceExceptionHandler.class));
    }

    @Test
    void aValueThatIsNotABooleanFailsTheStartWithSpringBootsBindingError() {
        for (String value : List.of("maybe", "")) {
            servlet.withPropertyValues("resilience.web.problem-details=" + value).run(context -> {
                assertThat(context).hasFailed();
                assertThat(messages(context.getStartupFailure()))
                        .contains(BindException.class.getName())
                        .contains("Failed to bind properties under 'resilience.web.problem-details' to java.lang.Boolean");
            });
        }
    }

    @Test
    void anApplicationsOwnHandlerReplacesOurs() {
        servlet.withUserConfiguration(OwnHandler.class).run(context -> assertThat(context)
                .getBean(ResilienceExceptionHandler.class).isInstanceOf(OwnHandler.Subclass.class));
    }

    @Test
    void thePropertyIsDocumentedInTheMetadata() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            List<Map<String, Object>> found = JsonPath.parse(in)
                    .read("$.properties[?(@.name == 'resilience.web.problem-details')]");
            assertThat(found).singleElement().satisfies(property -> assertThat(property)
                    .containsEntry("type", "java.lang.Boolean")
                    .containsEntry("defaultValue", true)
                    .hasEntrySatisfying("description", description ->
                            assertThat(description.toString()).contains("Retry-After").contains("429")));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHandler {

        static class Subclass extends ResilienceExceptionHandler {
            Subclass() {
                super(null);
            }
        }

        @Bean
        Subclass ownResilienceExceptionHandler() {
            return new Subclass();
        }
    }
}
