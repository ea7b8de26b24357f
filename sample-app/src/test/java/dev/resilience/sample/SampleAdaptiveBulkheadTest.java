package dev.resilience.sample;

import dev.resilience.core.bulkhead.AdaptiveBulkhead;
import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample with its adaptive bulkhead ({@code base-config: adaptive}): the fixed template's keys are not in
 * force, the endpoint shows the algorithm and the limit, and a burst against a partner that slows with its load
 * is served within the limit, the rest answered at once by the fallback.
 */
@TestPropertySource(properties = "resilience.bulkhead.instances.partner.base-config=adaptive")
class SampleAdaptiveBulkheadTest extends SampleTestSupport {

    @Test
    void theAdaptiveTemplateMakesThePartnersBulkheadAdaptive() {
        assertThat(bulkhead()).isInstanceOf(AdaptiveBulkhead.class);
        ResponseEntity<Map> described = http.get().uri("/actuator/bulkheads/partner").retrieve().toEntity(Map.class);
        assertThat(described.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((Map<String, Object>) described.getBody().get("settings")).containsEntry("type", "adaptive")
                .containsEntry("limitAlgorithm", "gradient2").containsEntry("initialLimit", 10)
                .containsEntry("minLimit", 2).containsEntry("maxLimit", 50);
        assertThat((Map<String, Object>) described.getBody().get("metrics")).containsKeys("limit", "inFlightCalls");
    }

    @Test
    void aBurstAgainstASlowingPartnerIsServedWithinTheLimitAndTheRestAnsweredAtOnce() {
        AdaptiveBulkhead bulkhead = (AdaptiveBulkhead) bulkhead();
        long refusedBefore = bulkhead.getMetrics().rejectedCalls();
        chaos("{\"latencyPerConcurrentCall\": \"5ms\"}");

        List<CompletableFuture<Offer>> burst = IntStream.range(0, 40)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> offer())).toList();
        List<Offer> offers = burst.stream().map(CompletableFuture::join).toList();

        assertThat(offers).allSatisfy(offer -> assertThat(offer.reason())
                .isIn(null, "bulkhead 'partner' is full"));
        assertThat(bulkhead.getLimit()).isBetween(2, 50);
        assertThat(bulkhead.getInFlightCalls()).isZero();
        long refused = bulkhead.getMetrics().rejectedCalls() - refusedBefore;
        assertThat(offers.stream().filter(offer -> offer.reason() != null)).hasSize((int) refused);
    }
}
