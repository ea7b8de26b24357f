package dev.resilience.sample;

import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.sample.offer.Offer;
import dev.resilience.sample.partner.ChaosView;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application on a random port, called over real HTTP as a user would. Every test class extends
 * this one with the same settings, so they share one application context; each test starts from a healthy
 * partner, a CLOSED breaker with an empty window and a bulkhead with every permit free.
 *
 * <p>The open-state wait and the timeout are shortened so that the story runs in a few seconds.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "resilience.circuitbreaker.instances.partner.wait-duration-in-open-state=" + SampleTestSupport.OPEN_WAIT_MILLIS + "ms",
        "resilience.timeout.instances.partner.timeout-duration=" + SampleTestSupport.TIMEOUT_MILLIS + "ms"})
abstract class SampleTestSupport {

    static final String PARTNER = "partner";
    static final long OPEN_WAIT_MILLIS = 1000;
    static final long TIMEOUT_MILLIS = 300;
    static final Duration TIMEOUT = Duration.ofMillis(TIMEOUT_MILLIS);
    /** An end-to-end call over HTTP on a shared machine: generous, and still far below a hanging partner. */
    static final Duration MARGIN = Duration.ofSeconds(1);
    /** How long the partner hangs in the tests: far beyond the timeout plus margin. */
    static final String HANG = "10s";

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    BulkheadRegistry bulkheads;

    RestClient http;

    @BeforeEach
    void startFromAHealthyPartner() {
        http = RestClient.builder()
                .baseUrl("http://localhost:" + port)
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                        .build(HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))))
                // the tests look at every status themselves
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
        heal();
        breaker().reset();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> bulkhead().getAvailableConcurrentCalls() == bulkhead().getMaxConcurrentCalls());
    }

    CircuitBreaker breaker() {
        return circuitBreakers.find(PARTNER).orElseThrow();
    }

    Bulkhead bulkhead() {
        return bulkheads.find(PARTNER).orElseThrow();
    }

    /** GET {@code path} (an offer endpoint), which must answer 200 with an offer. */
    Offer offer(String path) {
        ResponseEntity<Offer> response = http.get().uri(path).retrieve().toEntity(Offer.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).isNotNull();
        return response.getBody();
    }

    Offer offer() {
        return offer("/offer");
    }

    /** GET {@code path}, measured on the caller's side. */
    TimedOffer timedOffer(String path) {
        long start = System.nanoTime();
        Offer offer = offer(path);
        return new TimedOffer(offer, Duration.ofNanos(System.nanoTime() - start));
    }

    ChaosView chaos(String json) {
        ResponseEntity<ChaosView> response = http.put().uri("/partner/chaos").contentType(MediaType.APPLICATION_JSON)
                .body(json).retrieve().toEntity(ChaosView.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        return response.getBody();
    }

    ChaosView heal() {
        ResponseEntity<ChaosView> response = http.delete().uri("/partner/chaos").retrieve().toEntity(ChaosView.class);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        return response.getBody();
    }

    long partnerCalls() {
        ChaosView view = http.get().uri("/partner/chaos").retrieve().body(ChaosView.class);
        assertThat(view).isNotNull();
        return view.receivedCalls();
    }

    /** An offer and how long the caller waited for it. */
    record TimedOffer(Offer offer, Duration took) {
    }
}
