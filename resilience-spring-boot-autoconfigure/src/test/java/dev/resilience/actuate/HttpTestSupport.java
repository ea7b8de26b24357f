package dev.resilience.actuate;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP against the test application on its random port. The context is shared by every test class with the
 * same settings, so each test uses breakers of its own, and every breaker left open is closed after each test.
 */
abstract class HttpTestSupport {

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    ActuateTestApplication.Remote remote;

    private RestClient client;

    @BeforeEach
    void createClient() {
        client = RestClient.builder().baseUrl("http://localhost:" + port)
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    @AfterEach
    void closeOpenBreakers() {
        for (CircuitBreaker circuitBreaker : circuitBreakers.getAll()) {
            if (circuitBreaker.getState() != CircuitBreaker.State.CLOSED) {
                circuitBreaker.transitionToClosedState();
            }
        }
    }

    ResponseEntity<String> get(String path) {
        return client.get().uri(path).retrieve().toEntity(String.class);
    }

    ResponseEntity<String> post(String path, String json) {
        return client.post().uri(path).contentType(MediaType.APPLICATION_JSON).body(json).retrieve()
                .toEntity(String.class);
    }

    static DocumentContext json(ResponseEntity<String> response) {
        return JsonPath.parse(response.getBody());
    }

    /** Runs {@code call}, ignoring what it throws: the tests look at what the policies recorded. */
    static void quietly(Runnable call) {
        try {
            call.run();
        }
        catch (RuntimeException expected) {
            // recorded by the policy under test
        }
    }

    /** The measurements of {@code /actuator/metrics/{meter}?tag=...}, by statistic. */
    Map<String, Double> measurements(String meter, String... tags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/").append(meter);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? '?' : '&').append("tag=").append(tags[i]);
        }
        ResponseEntity<String> response = get(path.toString());
        assertThat(response.getStatusCode()).as(path.toString()).isEqualTo(HttpStatus.OK);
        List<Map<String, Object>> measurements = json(response).read("$.measurements");
        return measurements.stream().collect(Collectors.toMap(
                measurement -> (String) measurement.get("statistic"),
                measurement -> ((Number) measurement.get("value")).doubleValue()));
    }
}
