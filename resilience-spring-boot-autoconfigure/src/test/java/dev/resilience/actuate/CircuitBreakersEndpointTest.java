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

/** {@code /actuator/circuitbreakers} with the default access: reads work, writes are refused. */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class CircuitBreakersEndpointTest extends HttpTestSupport {

    @Test
    void listsEveryBreakerIncludingThoseOfAnnotationsBeforeTheirFirstCall() {
        ResponseEntity<String> response = get("/actuator/circuitbreakers");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.circuitBreakers.lazy", Map.class)).containsOnlyKeys("state",
                "failureRate", "slowCallRate", "bufferedCalls", "failedCalls", "slowCalls", "notPermittedCalls", "shared",
                "fleet");
        assertThat(body.read("$.circuitBreakers.lazy.shared", Boolean.class)).isFalse();
        assertThat(body.read("$.circuitBreakers.lazy.state", String.class)).isEqualTo("CLOSED");
        assertThat(body.read("$.circuitBreakers.lazy.failureRate", Double.class)).isEqualTo(-1.0);
        assertThat(body.read("$.circuitBreakers.lazy.slowCallRate", Double.class)).isEqualTo(-1.0);
        assertThat(body.read("$.circuitBreakers.lazy.bufferedCalls", Integer.class)).isZero();
        assertThat(body.read("$.circuitBreakers.lazy.failedCalls", Integer.class)).isZero();
        assertThat(body.read("$.circuitBreakers.lazy.slowCalls", Integer.class)).isZero();
        assertThat(body.read("$.circuitBreakers.lazy.notPermittedCalls", Integer.class)).isZero();
        assertThat(body.read("$.circuitBreakers['Remote.unnamed'].state", String.class)).isEqualTo("CLOSED");
    }

    @Test
    void showsOneBreakerWithTheFiguresOfItsWindow() {
        remote.transitions(Duration.ofMillis(10), null);
        quietly(() -> remote.transitions(Duration.ofSeconds(2), new IllegalStateException("down")));
        remote.transitions(Duration.ofMillis(10), null);

        ResponseEntity<String> response = get("/actuator/circuitbreakers/transitions");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.state", String.class)).isEqualTo("CLOSED");
        // 3 calls, fewer than minimum-number-of-calls (4): no rates yet
        assertThat(body.read("$.failureRate", Double.class)).isEqualTo(-1.0);
        assertThat(body.read("$.slowCallRate", Double.class)).isEqualTo(-1.0);
        assertThat(body.read("$.bufferedCalls", Integer.class)).isEqualTo(3);
        assertThat(body.read("$.failedCalls", Integer.class)).isEqualTo(1);
        assertThat(body.read("$.slowCalls", Integer.class)).isEqualTo(1);

        remote.transitions(Duration.ofMillis(10), null);

        body = json(get("/actuator/circuitbreakers/transitions"));
        // 1 failed and 1 slow of 4: 25%, below the thresholds
        assertThat(body.read("$.state", String.class)).isEqualTo("CLOSED");
        assertThat(body.read("$.failureRate", Double.class)).isEqualTo(25.0);
        assertThat(body.read("$.slowCallRate", Double.class)).isEqualTo(25.0);
        assertThat(body.read("$.bufferedCalls", Integer.class)).isEqualTo(4);
    }

    @Test
    void countsTheCallsAnOpenBreakerRefused() {
        for (int i = 0; i < 4; i++) {
            quietly(() -> remote.health(Duration.ofMillis(10), new IllegalStateException("down")));
        }
        quietly(() -> remote.health(Duration.ZERO, null));
        quietly(() -> remote.health(Duration.ZERO, null));

        DocumentContext body = json(get("/actuator/circuitbreakers/health"));

        // as in Resilience4j, an OPEN breaker shows the figures of the window that opened it
        assertThat(body.read("$.state", String.class)).isEqualTo("OPEN");
        assertThat(body.read("$.notPermittedCalls", Integer.class)).isEqualTo(2);
        assertThat(body.read("$.bufferedCalls", Integer.class)).isEqualTo(4);
        assertThat(body.read("$.failedCalls", Integer.class)).isEqualTo(4);
        assertThat(body.read("$.failureRate", Double.class)).isEqualTo(100.0);
    }

    @Test
    void answers404ForAnUnknownName() {
        assertThat(get("/actuator/circuitbreakers/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void refusesWritesByDefault() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"state\": \"FORCED_OPEN\"}");

        // read-only access maps no POST operation: Spring MVC answers that the method is not allowed
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        assertThat(circuitBreakers.get("lazy").getState().name()).isEqualTo("CLOSED");
    }
}
