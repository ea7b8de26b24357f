package dev.resilience.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.client.RestClient;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.sample.offer.Offer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample exactly as shipped (no setting shortened for the tests), its partner healthy, and a burst of 50
 * concurrent callers: more than the bulkhead's 10 permits. The bulkhead's short wait serves them one after another,
 * and what it turns away is our own back-pressure, which the breaker never records: the breaker of a healthy partner
 * stays CLOSED and the offers are hot.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleAsShippedBurstTest {

    private static final int CALLERS = 50;
    private static final int CALLS_EACH = 20;

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Test
    void fiftyConcurrentCallersOnAHealthyPartnerGetHotOffersAndNeverOpenTheBreaker() throws Exception {
        RestClient http = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                        .build(HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))))
                .build();
        CircuitBreaker breaker = circuitBreakers.find("partner").orElseThrow();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Offer>>> answers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                answers.add(callers.submit(() -> {
                    go.await();
                    List<Offer> mine = new ArrayList<>();
                    for (int call = 0; call < CALLS_EACH; call++) {
                        mine.add(http.get().uri("/offer").retrieve().body(Offer.class));
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<Offer> offers = new ArrayList<>();
            for (Future<List<Offer>> answer : answers) {
                offers.addAll(answer.get(60, TimeUnit.SECONDS));
            }

            assertThat(offers).hasSize(CALLERS * CALLS_EACH);
            Map<String, Long> reasons = offers.stream().collect(Collectors.groupingBy(
                    offer -> String.valueOf(offer.reason()), TreeMap::new, Collectors.counting()));
            assertThat(breaker.getState()).as("the breaker after offers whose reasons were %s", reasons)
                    .isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(breaker.getMetrics().failedCalls()).as("failures recorded, reasons %s", reasons).isZero();
            assertThat(reasons.keySet()).as("no reason but a full bulkhead")
                    .allMatch(reason -> reason.equals("null") || reason.equals("bulkhead 'partner' is full"));
            long hot = offers.stream().filter(offer -> Offer.PARTNER.equals(offer.source())).count();
            assertThat(hot).as("hot offers, reasons %s", reasons).isGreaterThanOrEqualTo(offers.size() * 9L / 10);
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
