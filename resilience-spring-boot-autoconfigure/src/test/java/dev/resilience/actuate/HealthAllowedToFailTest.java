package dev.resilience.actuate;

import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The breaker {@code guarded} is allowed to fail the health status: open or forced open, it reports DOWN and
 * {@code /actuator/health} answers 503. The other breakers keep the default.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "resilience.circuitbreaker.instances.guarded.allow-health-indicator-to-fail=true")
@ActiveProfiles("actuate")
class HealthAllowedToFailTest extends HttpTestSupport {

    @Test
    void anOpenBreakerAllowedToFailReportsDownAndTheEndpointAnswers503() {
        circuitBreakers.get("guarded").transitionToOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        DocumentContext body = json(response);
        assertThat(body.read("$.status", String.class)).isEqualTo("DOWN");
        assertThat(body.read("$.components.circuitBreakers.status", String.class)).isEqualTo("DOWN");
        assertThat(body.read("$.components.circuitBreakers.details.guarded.status", String.class)).isEqualTo("DOWN");
        assertThat(body.read("$.components.circuitBreakers.details.guarded.state", String.class)).isEqualTo("OPEN");
    }

    @Test
    void aForcedOpenBreakerAllowedToFailLikewise() {
        circuitBreakers.get("guarded").transitionToForcedOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(json(response).read("$.components.circuitBreakers.status", String.class)).isEqualTo("DOWN");
    }

    @Test
    void halfOpenDoesNotFailTheHealthStatus() {
        circuitBreakers.get("guarded").transitionToHalfOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.components.circuitBreakers.status", String.class))
                .isEqualTo("CIRCUIT_HALF_OPEN");
    }

    @Test
    void breakersNotAllowedToFailStillKeepTheApplicationUp() {
        for (int i = 0; i < 4; i++) {
            quietly(() -> remote.health(Duration.ofMillis(10), new IllegalStateException("partner down")));
        }

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.components.circuitBreakers.status", String.class))
                .isEqualTo("CIRCUIT_OPEN");
        assertThat(json(response).read("$.components.circuitBreakers.details.guarded.status", String.class))
                .isEqualTo("UP");
    }
}
