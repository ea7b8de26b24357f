package dev.resilience.actuate;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;

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
}
