package dev.resilience.sample;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.resilience.core.ratelimiter.RateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /offer?customer=...} as shipped: each customer may ask for 3 offers a minute; the 4th is answered 429
 * with {@code Retry-After}, not with a cold offer, and never reaches the partner; another customer is served all the
 * same. The other offer endpoints have no such limit.
 */
class SampleRateLimitTest extends SampleTestSupport {

    @Autowired
    RateLimiterRegistry rateLimiters;

    @Test
    void aCustomerWhoAsksTooOftenIsToldToComeBackLater() {
        // customers of their own: the application, and so every limit, is shared by the test classes
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(offer("/offer?customer=" + alice).source()).isEqualTo(Offer.PARTNER);
        }
        long partnerCalls = partnerCalls();

        ResponseEntity<String> refused = http.get().uri("/offer?customer=" + alice).retrieve().toEntity(String.class);

        assertThat(refused.getStatusCode().value()).isEqualTo(429);
        assertThat(refused.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        long retryAfter = Long.parseLong(refused.getHeaders().getFirst(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 60L);
        DocumentContext problem = JsonPath.parse(refused.getBody());
        assertThat(problem.read("$.kind", String.class)).isEqualTo("ratelimiter");
        assertThat(problem.read("$.name", String.class)).isEqualTo("customer");
        assertThat(refused.getBody()).as("the key stays inside").doesNotContain(alice);
        assertThat(partnerCalls()).as("a refused customer never reaches the partner").isEqualTo(partnerCalls);

        assertThat(offer("/offer?customer=" + bob).source()).isEqualTo(Offer.PARTNER);
        assertThat(offer("/offer").source()).as("without a customer there is no limit").isEqualTo(Offer.PARTNER);
    }

    @Test
    void theCustomerLimitIsAsConfigured() {
        RateLimiter customer = rateLimiters.find("customer").orElseThrow();

        assertThat(customer.getConfig().limitForPeriod()).isEqualTo(3);
        assertThat(customer.getConfig().limitRefreshPeriod()).hasMinutes(1);
        assertThat(customer.getConfig().timeoutDuration()).isZero();
        assertThat(customer.getConfig().maxKeys()).isEqualTo(10_000);
    }
}
