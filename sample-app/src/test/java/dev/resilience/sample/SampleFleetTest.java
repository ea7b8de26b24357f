package dev.resilience.sample;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.fleet.RedisServer;
import dev.resilience.sample.offer.Offer;
import dev.resilience.sample.partner.ChaosView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Two instances, one fleet": two instances of the sample in profile {@code fleet}, on one real
 * redis-server, the second calling the partner of the first. What one instance learns of the partner, the other
 * acts on; a customer's limit is counted once for both.
 */
class SampleFleetTest {

    static RedisServer redis;
    static ConfigurableApplicationContext first;
    static ConfigurableApplicationContext second;

    @BeforeAll
    static void startTwoInstances() {
        redis = RedisServer.start();
        first = start(null);
        second = start("http://localhost:" + port(first));
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {second, first}) {
            if (context != null) {
                context.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void anOpenBreakerOnOneInstanceRefusesOnTheOtherWhichNeverCalledThePartner() {
        http(first).put().uri("/partner/chaos").contentType(MediaType.APPLICATION_JSON)
                .body("{\"failureRate\": 1.0, \"status\": 500}").retrieve().toBodilessEntity();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                offer(first);
                return breaker(first).getState() == CircuitBreaker.State.OPEN;
            });
            await().atMost(Duration.ofSeconds(2)).until(() -> breaker(second).getState() == CircuitBreaker.State.OPEN);
            long partnerCalls = partnerCalls();

            Offer offer = offer(second);

            assertThat(offer.source()).isEqualTo(Offer.FALLBACK);
            assertThat(offer.reason()).isEqualTo("circuit breaker 'partner' is OPEN");
            assertThat(partnerCalls()).isEqualTo(partnerCalls);
        } finally {
            http(first).delete().uri("/partner/chaos").retrieve().toBodilessEntity();
            breaker(first).reset();
            await().atMost(Duration.ofSeconds(2)).until(() -> breaker(second).getState() == CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void aCustomersThreeOffersAMinuteAreCountedOnceForBothInstances() {
        assertThat(status(first, "carol")).isEqualTo(200);
        assertThat(status(second, "carol")).isEqualTo(200);
        assertThat(status(first, "carol")).isEqualTo(200);

        assertThat(status(second, "carol")).isEqualTo(429);
        assertThat(status(first, "carol")).isEqualTo(429);
        assertThat(status(second, "dave")).isEqualTo(200);
    }

    private static ConfigurableApplicationContext start(String partnerBaseUrl) {
        // command-line arguments, as in the README: they win over application.yml (default properties would not)
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.data.redis.port=" + redis.port(), "--resilience.dashboard.enabled=false"));
        if (partnerBaseUrl != null) {
            arguments.add("--sample.partner.base-url=" + partnerBaseUrl);
        }
        return new SpringApplicationBuilder(SampleApplication.class).profiles("fleet").run(arguments.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static RestClient http(ConfigurableApplicationContext context) {
        return RestClient.builder().baseUrl("http://localhost:" + port(context))
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    private static Offer offer(ConfigurableApplicationContext context) {
        return http(context).get().uri("/offer").retrieve().body(Offer.class);
    }

    private static int status(ConfigurableApplicationContext context, String customer) {
        return http(context).get().uri("/offer?customer={customer}", customer).retrieve().toBodilessEntity()
                .getStatusCode().value();
    }

    private static long partnerCalls() {
        return http(first).get().uri("/partner/chaos").retrieve().body(ChaosView.class).receivedCalls();
    }

    private static CircuitBreaker breaker(ConfigurableApplicationContext context) {
        return context.getBean(CircuitBreakerRegistry.class).find("partner").orElseThrow();
    }
}
