package dev.resilience.web;

import com.jayway.jsonpath.JsonPath;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code resilience.web.problem-details=false}: our exceptions go on to Spring Boot's own error handling (a 500),
 * on either stack, over real HTTP.
 */
class ProblemDetailsOffTest {

    @ParameterizedTest
    @EnumSource(value = WebApplicationType.class, names = {"SERVLET", "REACTIVE"})
    void switchedOffTheExceptionsAnswerWhatSpringBootAnswersByDefault(WebApplicationType stack) {
        try (ConfigurableApplicationContext application = new SpringApplicationBuilder(WebTestApplication.class)
                .web(stack).profiles("web")
                .properties("server.port=0", "resilience.web.problem-details=false", "spring.main.banner-mode=off")
                .run()) {
            assertThat(application.getBeansOfType(ResilienceExceptionHandler.class)).isEmpty();
            int port = ((WebServerApplicationContext) application).getWebServer().getPort();
            WebTestClient client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(30)).build();

            application.getBean(CircuitBreakerRegistry.class).get(WebTestApplication.FORCED).transitionToForcedOpenState();

            for (String path : new String[] {"/thrown/ratelimiter?retryAfterMillis=1500", "/thrown/bulkhead",
                    "/protected/forced"}) {
                EntityExchangeResult<String> result =
                        client.get().uri(path).exchange().expectBody(String.class).returnResult();

                assertThat(result.getStatus().value()).as(path).isEqualTo(500);
                assertThat(result.getResponseHeaders().getContentType()).as(path)
                        .isNotEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
                assertThat(result.getResponseHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).as(path).isFalse();
                Map<String, Object> error = JsonPath.parse(result.getResponseBody()).read("$");
                assertThat(error).as(path).containsEntry("status", 500).doesNotContainKeys("name", "kind");
            }

            EntityExchangeResult<String> own =
                    client.get().uri("/own/local").exchange().expectBody(String.class).returnResult();
            assertThat(own.getStatus().value()).isEqualTo(200);
            assertThat(own.getResponseBody()).isEqualTo("answered by the controller's own handler");
        }
    }
}
