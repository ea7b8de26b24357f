package dev.resilience.sample;

import dev.resilience.sample.partner.Chaos;
import dev.resilience.sample.partner.ChaosView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The partner's chaos API: what it accepts, what it refuses (400 with the reason), and what it does. */
class PartnerChaosApiTest extends SampleTestSupport {

    @Test
    void aChaosIsSetReadAndHealed() {
        ChaosView set = chaos("{\"failureRate\": 0.25, \"status\": 503, \"latency\": \"1500ms\"}");
        assertThat(set.failureRate()).isEqualTo(0.25);
        assertThat(set.status()).isEqualTo(503);
        assertThat(set.latency()).isEqualTo("1500ms");

        ChaosView read = http.get().uri("/partner/chaos").retrieve().body(ChaosView.class);
        assertThat(read).isEqualTo(set);

        ChaosView healed = heal();
        assertThat(healed.failureRate()).isZero();
        assertThat(healed.latency()).isEqualTo("0s");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "3s"         | 3s
            "250ms"      | 250ms
            "PT2S"       | 2s
            "PT0.5S"     | 500ms
            750          | 750ms
            " 1m "       | 60s
            """)
    void latencyIsABootOrIsoDuration(String latency, String shown) {
        assertThat(chaos("{\"latency\": " + latency + "}").latency()).isEqualTo(shown);
    }

    @Test
    void missingFieldsMeanAHealthyPartner() {
        chaos("{\"failureRate\": 1.0, \"status\": 502, \"latency\": \"2s\"}");

        ChaosView view = chaos("{\"latency\": \"20ms\"}");

        assertThat(view.failureRate()).isZero();
        assertThat(view.status()).isEqualTo(500);
        assertThat(view.latency()).isEqualTo("20ms");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            {"failureRate": 1.5}                  | failureRate must be between 0 and 1, was 1.5
            {"failureRate": -0.1}                 | failureRate must be between 0 and 1, was -0.1
            {"failureRate": "often"}              | failureRate must be a number between 0 and 1, was 'often'
            {"status": 302}                       | status must be an HTTP error status from 400 to 599, was 302
            {"status": 600}                       | status must be an HTTP error status from 400 to 599, was 600
            {"status": 500.5}                     | status must be an HTTP error status from 400 to 599, was 500.5
            {"status": "500"}                     | status must be an HTTP error status from 400 to 599, was '500'
            {"latency": "soon"}                   | latency must be a duration such as 500ms, 3s or PT3S, was 'soon'
            {"latency": "-1s"}                    | latency must be zero or positive
            {"latency": true}                     | latency must be a duration such as 500ms, 3s or PT3S, was true
            {"latencyPerConcurrentCall": "-5ms"}  | latencyPerConcurrentCall must be zero or positive
            {"latencyPerConcurrentCall": "x"}     | latencyPerConcurrentCall must be a duration such as 500ms
            {"failurerate": 1.0}                  | unknown field 'failurerate'
            {"failureRate": 1.0                   | the chaos must be a JSON object
            [1, 2]                                | the chaos must be a JSON object
            """)
    void badChaosIsRefusedWithTheReason(String body, String reason) {
        chaos("{\"failureRate\": 1.0, \"status\": 502}");

        ResponseEntity<ProblemDetail> response = http.put().uri("/partner/chaos")
                .contentType(MediaType.APPLICATION_JSON).body(body).retrieve().toEntity(ProblemDetail.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(response.getBody()).isNotNull();
        assertThat(response.getBody().getDetail()).contains(reason);
        // the chaos in force is left as it was
        ChaosView unchanged = http.get().uri("/partner/chaos").retrieve().body(ChaosView.class);
        assertThat(unchanged.failureRate()).isEqualTo(1.0);
        assertThat(unchanged.status()).isEqualTo(502);
    }

    @Test
    void aLatencyPerConcurrentCallGrowsTheWaitWithTheCallsBeingServed() {
        ChaosView view = chaos("{\"latency\": \"100ms\", \"latencyPerConcurrentCall\": 20}");
        assertThat(view.latencyPerConcurrentCall()).isEqualTo("20ms");
        assertThat(new Chaos(0, 500, Duration.ofMillis(100), Duration.ofMillis(20)).latencyAt(3))
                .isEqualTo(Duration.ofMillis(160));
        assertThat(Chaos.NONE.latencyAt(50)).isZero();

        chaos("{\"latency\": \"" + HANG + "\"}");
        CompletableFuture<ResponseEntity<String>> waiting = CompletableFuture.supplyAsync(
                () -> http.get().uri("/partner/offers/hot").retrieve().toEntity(String.class));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> http.get().uri("/partner/chaos").retrieve().body(ChaosView.class).concurrentCalls() == 1);
        assertThat(heal().concurrentCalls()).isLessThanOrEqualTo(1);
        await().atMost(Duration.ofSeconds(3)).until(waiting::isDone);
    }

    @Test
    void theFailingPartnerAnswersTheChosenStatusAndCountsEveryCall() {
        long before = partnerCalls();
        chaos("{\"failureRate\": 1.0, \"status\": 418}");

        ResponseEntity<String> failed = http.get().uri("/partner/offers/hot").retrieve().toEntity(String.class);
        assertThat(failed.getStatusCode().value()).isEqualTo(418);

        heal();
        ResponseEntity<String> healthy = http.get().uri("/partner/offers/hot").retrieve().toEntity(String.class);
        assertThat(healthy.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(healthy.getBody()).contains("\"offer\"").contains("\"partner\"");

        assertThat(partnerCalls() - before).isEqualTo(2);
    }

    @Test
    void healingReleasesTheCallsThatAreWaitingOutTheLatency() {
        chaos("{\"latency\": \"" + HANG + "\"}");
        long before = partnerCalls();
        CompletableFuture<ResponseEntity<String>> waiting = CompletableFuture.supplyAsync(
                () -> http.get().uri("/partner/offers/hot").retrieve().toEntity(String.class));
        await().atMost(Duration.ofSeconds(5)).until(() -> partnerCalls() > before);
        assertThat(waiting).isNotDone();

        heal();

        // answered at once rather than after the latency of 10s
        await().atMost(Duration.ofSeconds(3)).until(waiting::isDone);
        assertThat(waiting.join().getStatusCode()).isEqualTo(HttpStatus.OK);
    }
}
