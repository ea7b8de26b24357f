package dev.resilience.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/circuitbreakerevents}: the breaker {@code events} keeps its last 4 events
 * ({@code event-consumer-buffer-size: 4}).
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class CircuitBreakerEventsEndpointTest extends HttpTestSupport {

    @Autowired
    ActuateTestApplication.SteppingClock clock;

    @Test
    void keepsTheMostRecentEventsNewestLastWithTimeTypeAndDetails() {
        clock.restartAt(Instant.parse("2030-06-01T12:00:00Z"));
        quietly(() -> remote.events(Duration.ofMillis(10), new IllegalStateException("first")));
        quietly(() -> remote.events(Duration.ofMillis(20), new IllegalArgumentException("skipped")));
        remote.events(Duration.ofMillis(5), null);
        remote.events(Duration.ofMillis(5), null);
        // the 4th recorded call, 2 of 4 failed: the failure is reported, then the transition it causes
        quietly(() -> remote.events(Duration.ofMillis(1500), new IllegalStateException("fourth")));
        quietly(() -> remote.events(Duration.ZERO, null));

        ResponseEntity<String> response = get("/actuator/circuitbreakerevents/events");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.name", String.class)).isEqualTo("events");
        // 5 events happened; the buffer keeps 4, so the first failure is gone
        assertThat(body.read("$.events[*].type", List.class)).containsExactly(
                "IGNORED_ERROR", "ERROR", "STATE_TRANSITION", "NOT_PERMITTED");
        assertThat(body.read("$.events[*].time", List.class)).containsExactly(
                "2030-06-01T12:00:01Z", "2030-06-01T12:00:02Z", "2030-06-01T12:00:03Z", "2030-06-01T12:00:04Z");
        assertThat(body.read("$.events[0].details", Map.class)).containsExactly(
                Map.entry("exception", "java.lang.IllegalArgumentException"), Map.entry("message", "skipped"),
                Map.entry("duration", "PT0.02S"));
        assertThat(body.read("$.events[1].details", Map.class)).containsExactly(
                Map.entry("exception", "java.lang.IllegalStateException"), Map.entry("message", "fourth"),
                Map.entry("duration", "PT1.5S"));
        assertThat(body.read("$.events[2].details", Map.class)).containsExactly(
                Map.entry("from", "CLOSED"), Map.entry("to", "OPEN"));
        assertThat(body.read("$.events[3].details", Map.class)).containsExactly(Map.entry("state", "OPEN"));
    }

    @Test
    void listsTheEventsOfEveryBreakerByName() {
        circuitBreakers.get("lazy").transitionToForcedOpenState();

        ResponseEntity<String> response = get("/actuator/circuitbreakerevents");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.circuitBreakerEvents", Map.class)).containsKeys("lazy", "events", "metered",
                "Remote.unnamed");
        assertThat(body.read("$.circuitBreakerEvents.lazy[-1:].type", List.class)).containsExactly("STATE_TRANSITION");
        assertThat(body.read("$.circuitBreakerEvents.lazy[-1:].details.to", List.class)).containsExactly("FORCED_OPEN");
    }

    @Test
    void successesAreNotKept() {
        quietly(() -> remote.quiet(new IllegalStateException("kept")));
        remote.quiet(null);
        remote.quiet(null);

        DocumentContext body = json(get("/actuator/circuitbreakerevents/quiet"));
        assertThat(body.read("$.events[*].type", List.class)).containsExactly("ERROR");
        assertThat(body.read("$.events[0].details.message", String.class)).isEqualTo("kept");
    }

    @Test
    void answers404ForAnUnknownName() {
        assertThat(get("/actuator/circuitbreakerevents/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }
}
