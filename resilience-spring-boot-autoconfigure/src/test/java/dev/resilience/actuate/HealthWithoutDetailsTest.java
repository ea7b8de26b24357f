package dev.resilience.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/** With Spring Boot's default {@code show-details: never}, only the aggregate status shows, and it follows the same rules. */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoint.health.show-details=never",
        "resilience.circuitbreaker.instances.guarded.allow-health-indicator-to-fail=true" })
@ActiveProfiles("actuate")
class HealthWithoutDetailsTest extends HttpTestSupport {

    @Test
    void anOpenBreakerLeavesTheApplicationUp() {
        for (int i = 0; i < 4; i++) {
            quietly(() -> remote.health(Duration.ofMillis(10), new IllegalStateException("partner down")));
        }
        assertThat(circuitBreakers.get("health").getState().name()).isEqualTo("OPEN");

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.status", String.class)).isEqualTo("UP");
        assertThat(json(response).read("$", Map.class)).doesNotContainKey("components");
    }

    @Test
    void anOpenBreakerAllowedToFailMakesItDown() {
        circuitBreakers.get("guarded").transitionToForcedOpenState();

        ResponseEntity<String> response = get("/actuator/health");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(json(response).read("$.status", String.class)).isEqualTo("DOWN");
        assertThat(json(response).read("$", Map.class)).doesNotContainKey("components");
    }
}
