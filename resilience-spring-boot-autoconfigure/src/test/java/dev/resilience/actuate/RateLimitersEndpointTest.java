package dev.resilience.actuate;

import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;

import dev.resilience.core.RateLimitExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code /actuator/ratelimiters[/{name}]} and the rate limiter meters after known calls, with the manual ticker
 * standing still: the endpoint's figures and the meters' counts are the same exact numbers.
 */
@SpringBootTest(classes = ActuateTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("actuate")
class RateLimitersEndpointTest extends HttpTestSupport {

    @Test
    void theEndpointShowsEachLimitersSettingsAndFigures() {
        remote.limited();
        remote.limited();
        assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(remote::limited);

        ResponseEntity<String> all = get("/actuator/ratelimiters");
        assertThat(all.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(json(all).read("$.rateLimiters", Map.class)).containsKeys("limited", "customers");

        DocumentContext limited = json(get("/actuator/ratelimiters/limited"));
        assertThat(limited.read("$.settings", Map.class)).containsExactly(Map.entry("limitForPeriod", 2),
                Map.entry("limitRefreshPeriod", "PT1M"), Map.entry("timeoutDuration", "PT0S"),
                Map.entry("maxKeys", 10000), Map.entry("shared", false));
        assertThat(limited.read("$.metrics", Map.class)).containsExactly(Map.entry("availablePermissions", 0),
                Map.entry("waitingCalls", 0), Map.entry("permittedCalls", 2), Map.entry("rejectedCalls", 1),
                Map.entry("keys", 0));

        assertThat(measurements("resilience.ratelimiter.calls", "name:limited", "kind:permitted"))
                .containsEntry("COUNT", 2.0);
        assertThat(measurements("resilience.ratelimiter.calls", "name:limited", "kind:rejected"))
                .containsEntry("COUNT", 1.0);
        assertThat(measurements("resilience.ratelimiter.available.permissions", "name:limited"))
                .containsEntry("VALUE", 0.0);
        assertThat(measurements("resilience.ratelimiter.waiting.calls", "name:limited"))
                .containsEntry("VALUE", 0.0);
        assertThat(get("/actuator/ratelimiters/nobody").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void aLimiterWithAKeyShowsHowManyKeysItHoldsButNotTheKeys() {
        remote.perCustomer("alice");
        remote.perCustomer("bob");
        remote.perCustomer("carol");
        assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> remote.perCustomer("carol"));

        ResponseEntity<String> customers = get("/actuator/ratelimiters/customers");

        assertThat(json(customers).read("$.settings.limitForPeriod", Integer.class)).isEqualTo(1);
        assertThat(json(customers).read("$.settings.limitRefreshPeriod", String.class)).isEqualTo("PT1M");
        assertThat(json(customers).read("$.metrics", Map.class)).containsEntry("keys", 2)
                .containsEntry("permittedCalls", 3).containsEntry("rejectedCalls", 1)
                .containsEntry("availablePermissions", 1);
        assertThat(customers.getBody()).doesNotContain("alice", "bob", "carol");
    }
}
