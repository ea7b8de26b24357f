package dev.resilience.actuate;

import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code POST /actuator/circuitbreakers/{name}} once the user opened write access. The same context also turns the
 * health contributor off, to show that the property removes it.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoint.circuitbreakers.access=unrestricted",
        "management.health.circuitbreakers.enabled=false" })
@ActiveProfiles("actuate")
class CircuitBreakersEndpointWriteTest extends HttpTestSupport {

    @ParameterizedTest
    @EnumSource(State.class)
    void movesTheBreakerToTheStateAndAnswersItsNewFigures(State state) {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"state\": \"" + state + "\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        DocumentContext body = json(response);
        assertThat(body.read("$.state", String.class)).isEqualTo(state.name());
        assertThat(body.read("$.bufferedCalls", Integer.class)).isZero();
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(state);
        assertThat(json(get("/actuator/circuitbreakers/lazy")).read("$.state", String.class)).isEqualTo(state.name());
    }

    @ParameterizedTest
    @CsvSource({"CLOSE, CLOSED", "FORCE_OPEN, FORCED_OPEN", "DISABLE, DISABLED", "force_open, FORCED_OPEN"})
    void acceptsResilience4jsBodyAndMovesTheBreakerToTheStateItMeans(String updateState, State state) {
        circuitBreakers.get("lazy").transitionTo(State.OPEN);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy",
                "{\"updateState\": \"" + updateState + "\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.state", String.class)).isEqualTo(state.name());
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(state);
    }

    @Test
    void resilience4jsCloseAlsoClearsTheRecordedCalls() {
        quietly(() -> remote.metered(Duration.ofMillis(5), new IllegalStateException("down")));
        assertThat(json(get("/actuator/circuitbreakers/metered")).read("$.bufferedCalls", Integer.class)).isEqualTo(1);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/metered", "{\"updateState\": \"CLOSE\"}");

        assertThat(json(response).read("$.state", String.class)).isEqualTo("CLOSED");
        assertThat(json(response).read("$.bufferedCalls", Integer.class)).isZero();
    }

    @Test
    void refusesResilience4jsMetricsOnlyWith400SayingWhy() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"updateState\": \"METRICS_ONLY\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo("Resilience4j's updateState METRICS_ONLY "
                + "has no equivalent here: a breaker either decides from the calls it records or is DISABLED (permits "
                + "every call and records nothing). Send {\"state\": \"DISABLED\"} or {\"updateState\": \"DISABLE\"} to "
                + "stop it deciding");
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void refusesAnUnknownUpdateStateNamingResilience4jsValuesThatMap() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"updateState\": \"OPEN\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo("Unknown updateState 'OPEN'; "
                + "Resilience4j's updateState may be CLOSE, FORCE_OPEN, DISABLE (or send 'state': CLOSED, OPEN, "
                + "HALF_OPEN, FORCED_OPEN, DISABLED)");
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void refusesABodyWithBothStateAndUpdateState() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy",
                "{\"state\": \"OPEN\", \"updateState\": \"CLOSE\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo("Give either 'state' (CLOSED, OPEN, "
                + "HALF_OPEN, FORCED_OPEN, DISABLED) or Resilience4j's 'updateState' (CLOSE, FORCE_OPEN, DISABLE), not both");
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void aHugeUnknownUpdateStateIsNotEchoed() {
        String huge = "u".repeat(1024 * 1024);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"updateState\": \"" + huge + "\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody()).hasSizeLessThan(400);
    }

    @Test
    void forcedOpenRefusesCallsUntilClosedAgain() {
        post("/actuator/circuitbreakers/transitions", "{\"state\": \"FORCED_OPEN\"}");

        assertThatExceptionOfType(CircuitBreakerOpenException.class)
                .isThrownBy(() -> remote.transitions(Duration.ZERO, null));
        assertThat(json(get("/actuator/circuitbreakers/transitions")).read("$.notPermittedCalls", Integer.class))
                .isEqualTo(1);

        post("/actuator/circuitbreakers/transitions", "{\"state\": \"CLOSED\"}");
        assertThat(remote.transitions(Duration.ZERO, null)).isEqualTo("ok");
    }

    @Test
    void closedClearsTheRecordedCalls() {
        quietly(() -> remote.metered(Duration.ofMillis(5), new IllegalStateException("down")));
        remote.metered(Duration.ofMillis(5), null);
        assertThat(json(get("/actuator/circuitbreakers/metered")).read("$.bufferedCalls", Integer.class))
                .isEqualTo(2);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/metered", "{\"state\": \"CLOSED\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(response).read("$.state", String.class)).isEqualTo("CLOSED");
        assertThat(json(response).read("$.bufferedCalls", Integer.class)).isZero();
        assertThat(json(response).read("$.failedCalls", Integer.class)).isZero();
    }

    @Test
    void answers400WithTheAllowedStatesForABadState() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"state\": \"AJAR\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo(
                "Unknown state 'AJAR'; allowed states are CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
        assertThat(json(response).read("$.status", Integer.class)).isEqualTo(400);
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void answers400ForAMissingState() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo(
                "Missing 'state'; allowed states are CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
    }

    @Test
    void answers400WithOnlyTheStartOfAHugeBadStateAndItsLength() {
        String huge = "AJAR" + "x".repeat(1024 * 1024 - 4);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"state\": \"" + huge + "\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(json(response).read("$.message", String.class)).isEqualTo("Unknown state '" + huge.substring(0, 64)
                + "…' (1048576 characters); allowed states are CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
        assertThat(response.getBody()).hasSizeLessThan(300);
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void aBadStateOf64CharactersIsEchoedWhole() {
        String state = "y".repeat(64);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/lazy", "{\"state\": \"" + state + "\"}");

        assertThat(json(response).read("$.message", String.class)).isEqualTo("Unknown state '" + state
                + "'; allowed states are CLOSED, OPEN, HALF_OPEN, FORCED_OPEN, DISABLED");
    }

    @Test
    void aHugeBadStateInAnotherJsonTypeIsNotEchoedEither() {
        String huge = "z".repeat(1024 * 1024);

        ResponseEntity<String> list = post("/actuator/circuitbreakers/lazy", "{\"state\": [\"" + huge + "\"]}");
        ResponseEntity<String> object = post("/actuator/circuitbreakers/lazy", "{\"state\": {\"" + huge + "\": 1}}");

        assertThat(list.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(list.getBody()).hasSizeLessThan(300);
        assertThat(object.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(object.getBody()).hasSizeLessThan(300);
        assertThat(circuitBreakers.get("lazy").getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void answers404WithOnlyTheStartOfALongUnknownName() {
        String name = "n".repeat(2000);

        ResponseEntity<String> response = post("/actuator/circuitbreakers/" + name, "{\"state\": \"OPEN\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(json(response).read("$.message", String.class))
                .isEqualTo("No circuit breaker named '" + "n".repeat(64) + "…' (2000 characters)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"circuitbreakers", "circuitbreakerevents", "retries", "timeouts", "bulkheads"})
    void theReadEndpointsAnswerALongUnknownNameWithoutRepeatingIt(String endpoint) {
        String name = "q".repeat(2000);

        ResponseEntity<String> response = get("/actuator/" + endpoint + "/" + name);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(String.valueOf(response.getBody())).doesNotContain("qqqq");
    }

    @Test
    void answers404ForAnUnknownName() {
        ResponseEntity<String> response = post("/actuator/circuitbreakers/nobody", "{\"state\": \"OPEN\"}");

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(json(response).read("$.message", String.class)).isEqualTo("No circuit breaker named 'nobody'");
        assertThat(circuitBreakers.find("nobody")).isEmpty();
    }

    @Test
    void theHealthContributorIsOffWhenDisabledByProperty() {
        ResponseEntity<String> health = get("/actuator/health");

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(health).read("$.components", java.util.Map.class)).doesNotContainKey("circuitBreakers");
        assertThat(get("/actuator/health/circuitBreakers").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }
}
