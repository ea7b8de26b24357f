package dev.resilience.actuate;

import java.time.Duration;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code circuitBreakers} health contributor by default (no breaker allowed to fail the health status):
 * an open breaker shows in the component, and {@code /actuator/health} stays UP with HTTP 200.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class HealthTest extends HttpTestSupport {

    @Test
    void upWithTheDetailsOfEveryBreakerWhileAllAreClosed() {
        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.status", String.class)).isEqualTo("UP");
        assertThat(body.read("$.components.circuitBreakers.status", String.class)).isEqualTo("UP");
        Map<String, Object> lazy = body.read("$.components.circuitBreakers.details.lazy");
        assertThat(lazy).containsExactly(Map.entry("status", "UP"), Map.entry("state", "CLOSED"),
                Map.entry("failureRate", -1.0), Map.entry("slowCallRate", -1.0), Map.entry("bufferedCalls", 0),
                Map.entry("failedCalls", 0));
    }

    @Test
    void anOpenBreakerShowsAsCircuitOpenButTheApplicationStaysUp() {
        for (int i = 0; i < 4; i++) {
            quietly(() -> remote.health(Duration.ofMillis(10), new IllegalStateException("partner down")));
        }
        assertThat(circuitBreakers.get("health").getState().name()).isEqualTo("OPEN");

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.status", String.class)).isEqualTo("UP");
        assertThat(body.read("$.components.circuitBreakers.status", String.class)).isEqualTo("CIRCUIT_OPEN");
        assertThat(body.read("$.components.circuitBreakers.details.health.status", String.class))
                .isEqualTo("CIRCUIT_OPEN");
        assertThat(body.read("$.components.circuitBreakers.details.health.state", String.class)).isEqualTo("OPEN");
        assertThat(body.read("$.components.circuitBreakers.details.lazy.status", String.class)).isEqualTo("UP");

        ResponseEntity<String> component = get("/actuator/health/circuitBreakers");
        assertThat(component.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(component).read("$.status", String.class)).isEqualTo("CIRCUIT_OPEN");
    }

    @Test
    void aForcedOpenBreakerLikewise() {
        circuitBreakers.get("lazy").transitionToForcedOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.status", String.class)).isEqualTo("UP");
        assertThat(json(response).read("$.components.circuitBreakers.status", String.class))
                .isEqualTo("CIRCUIT_OPEN");
        assertThat(json(response).read("$.components.circuitBreakers.details.lazy.state", String.class))
                .isEqualTo("FORCED_OPEN");
    }

    @Test
    void aHalfOpenBreakerShowsAsCircuitHalfOpen() {
        circuitBreakers.get("lazy").transitionToHalfOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.status", String.class)).isEqualTo("UP");
        assertThat(json(response).read("$.components.circuitBreakers.status", String.class))
                .isEqualTo("CIRCUIT_HALF_OPEN");
        assertThat(json(response).read("$.components.circuitBreakers.details.lazy.status", String.class))
                .isEqualTo("CIRCUIT_HALF_OPEN");
    }
}
