package dev.resilience.sample;

import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The story of {@link SampleStoryTest} as an operator sees it: {@code /actuator/circuitbreakers},
 * {@code /actuator/circuitbreakerevents}, {@code /actuator/health}, {@code /actuator/metrics} and
 * {@code /actuator/prometheus}, with the names of the public contract.
 */
class SampleObservabilityTest extends SampleTestSupport {

    /** Lenient: the endpoints may answer more fields than these tests read. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @Test
    void theStoryShowsInTheEndpointsAndTheMetrics() {
        // every configured breaker is listed before its first call
        assertThat(breakerView().state()).isEqualTo("CLOSED");
        assertThat(breakerView().failureRate()).isEqualTo(-1.0f);

        // healthy
        assertThat(offer().source()).isEqualTo(Offer.PARTNER);
        assertThat(breakerView().bufferedCalls()).isEqualTo(1);
        assertThat(metric("resilience.circuitbreaker.calls", "kind:successful")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("resilience.bulkhead.available.concurrent.calls")).isEqualTo(10.0);

        // failing: the endpoint shows OPEN; the metrics count the failures and the refusals
        chaos("{\"failureRate\": 1.0, \"status\": 500}");
        for (int i = 0; i < 20 && !breakerView().state().equals("OPEN"); i++) {
            assertThat(offer().source()).isEqualTo(Offer.FALLBACK);
        }
        assertThat(breakerView().state()).isEqualTo("OPEN");
        assertThat(offer().reason()).isEqualTo("circuit breaker 'partner' is OPEN");
        assertThat(breakerView().notPermittedCalls()).isGreaterThanOrEqualTo(1);
        assertThat(metric("resilience.circuitbreaker.state", "state:" + stateTag("open"))).isEqualTo(1.0);
        assertThat(metric("resilience.circuitbreaker.state", "state:" + stateTag("closed"))).isEqualTo(0.0);
        assertThat(metric("resilience.circuitbreaker.calls", "kind:failed")).isGreaterThanOrEqualTo(4.0);
        assertThat(metric("resilience.circuitbreaker.calls", "kind:not_permitted")).isGreaterThanOrEqualTo(1.0);
        assertThat(metric("resilience.retry.calls", "kind:failed_with_retry")).isGreaterThanOrEqualTo(2.0);
        assertThat(metric("resilience.bulkhead.calls", "kind:permitted")).isGreaterThanOrEqualTo(5.0);
        assertThat(prometheus()).containsPattern(Pattern.compile(
                "resilience_circuitbreaker_state\\{[^}]*name=\"partner\"[^}]*state=\"(?i:open)\"[^}]*} 1\\.0"));

        //    the service stays in its load balancer: health is 200, the breaker shows in the details
        Health health = getJson("/actuator/health", Health.class);
        assertThat(health.components()).containsKey("circuitBreakers");
        assertThat(String.valueOf(health.components().get("circuitBreakers"))).contains("partner").contains("OPEN");

        //    and the events tell what happened
        assertThat(getJson("/actuator/circuitbreakerevents", String.class)).contains("partner").contains("OPEN");

        // hanging: the timeouts show in their counter once the breaker lets trial calls through again
        chaos("{\"latency\": \"" + HANG + "\"}");
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> offer().reason().startsWith("timeout"));
        assertThat(metric("resilience.timeout.calls", "kind:timeout")).isGreaterThanOrEqualTo(1.0);
        //    the second trial times out too and the breaker opens again
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> offer().source().equals(Offer.FALLBACK) && breakerView().state().equals("OPEN"));

        // healed: HALF_OPEN after the open wait, CLOSED after two good trials
        heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> breakerView().state().equals("HALF_OPEN"));
        assertThat(offer().source()).isEqualTo(Offer.PARTNER);
        assertThat(offer().source()).isEqualTo(Offer.PARTNER);
        assertThat(breakerView().state()).isEqualTo("CLOSED");
        assertThat(metric("resilience.circuitbreaker.state", "state:" + stateTag("closed"))).isEqualTo(1.0);
        assertThat(metric("resilience.circuitbreaker.failure.rate")).isEqualTo(-1.0);
    }

    @Test
    void anOperatorCanOpenAndCloseTheBreakerByHand() {
        assertThat(setState("FORCED_OPEN").state()).isEqualTo("FORCED_OPEN");
        Offer refused = offer();
        assertThat(refused.source()).isEqualTo(Offer.FALLBACK);
        assertThat(refused.reason()).isEqualTo("circuit breaker 'partner' is FORCED_OPEN");

        assertThat(setState("CLOSED").state()).isEqualTo("CLOSED");
        assertThat(offer().source()).isEqualTo(Offer.PARTNER);

        ResponseEntity<String> bad = http.post().uri("/actuator/circuitbreakers/partner")
                .contentType(MediaType.APPLICATION_JSON).body("{\"state\": \"AJAR\"}").retrieve().toEntity(String.class);
        assertThat(bad.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);

        ResponseEntity<String> unknown = http.get().uri("/actuator/circuitbreakers/nobody").retrieve()
                .toEntity(String.class);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    private BreakerView breakerView() {
        BreakerView one = getJson("/actuator/circuitbreakers/partner", BreakerView.class);
        assertThat(getJson("/actuator/circuitbreakers", Breakers.class).circuitBreakers()).containsKey(PARTNER);
        return one;
    }

    private BreakerView setState(String state) {
        ResponseEntity<String> response = http.post().uri("/actuator/circuitbreakers/partner")
                .contentType(MediaType.APPLICATION_JSON).body("{\"state\": \"" + state + "\"}").retrieve()
                .toEntity(String.class);
        assertThat(response.getStatusCode()).as("POST state %s answered %s", state, response.getBody())
                .isEqualTo(HttpStatus.OK);
        return JSON.readValue(response.getBody(), BreakerView.class);
    }

    /** The value of the {@code state} tag that means {@code state}, as the meter spells it. */
    private String stateTag(String state) {
        Metric metric = getJson("/actuator/metrics/resilience.circuitbreaker.state?tag=name:partner", Metric.class);
        return metric.availableTags().stream().filter(tag -> tag.tag().equals("state"))
                .flatMap(tag -> tag.values().stream()).filter(value -> value.equalsIgnoreCase(state))
                .findFirst().orElseThrow(() -> new AssertionError("no state tag for " + state + " in " + metric));
    }

    /** The first measurement (COUNT for a counter or timer, VALUE for a gauge) of the partner's meter. */
    private double metric(String name, String... tags) {
        StringBuilder uri = new StringBuilder("/actuator/metrics/").append(name).append("?tag=name:partner");
        for (String tag : tags) {
            uri.append("&tag=").append(tag);
        }
        return getJson(uri.toString(), Metric.class).measurements().get(0).value();
    }

    private String prometheus() {
        return getJson("/actuator/prometheus", String.class);
    }

    /** GET {@code uri}, which must answer 200 (else the failure shows the body), read as {@code type}. */
    private <T> T getJson(String uri, Class<T> type) {
        ResponseEntity<String> response = http.get().uri(uri).retrieve().toEntity(String.class);
        assertThat(response.getStatusCode()).as("GET %s answered %s", uri, response.getBody())
                .isEqualTo(HttpStatus.OK);
        return type == String.class ? type.cast(response.getBody()) : JSON.readValue(response.getBody(), type);
    }

    record Health(String status, Map<String, Object> components) {
    }

    record Breakers(Map<String, BreakerView> circuitBreakers) {
    }

    record BreakerView(String state, float failureRate, float slowCallRate, int bufferedCalls, int failedCalls,
            int slowCalls, long notPermittedCalls) {
    }

    record Metric(String name, List<Measurement> measurements, List<AvailableTag> availableTags) {
    }

    record Measurement(String statistic, double value) {
    }

    record AvailableTag(String tag, List<String> values) {
    }
}
