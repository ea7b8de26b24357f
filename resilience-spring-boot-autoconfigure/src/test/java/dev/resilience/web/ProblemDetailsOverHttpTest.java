package dev.resilience.web;

import com.jayway.jsonpath.JsonPath;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Over real HTTP, for the stack the subclass starts: each exception answers its status, a problem detail that names
 * the instance and nothing internal, and {@code Retry-After} where it is known; the application's own handlers win.
 */
abstract class ProblemDetailsOverHttpTest {

    private static final Set<String> PROBLEM_FIELDS =
            Set.of("type", "title", "status", "detail", "instance", "name", "kind");

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    ManualTicker ticker;

    @Autowired
    ApplicationContext context;

    private WebTestClient client;

    @BeforeEach
    void forceOpenAndConnect() {
        circuitBreakers.get(WebTestApplication.FORCED).transitionToForcedOpenState();
        client = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterEach
    void closeBreakers() {
        for (CircuitBreaker circuitBreaker : circuitBreakers.getAll()) {
            if (circuitBreaker.getState() != CircuitBreaker.State.CLOSED) {
                circuitBreaker.transitionToClosedState();
            }
        }
    }

    /** The kind of application context the stack under test runs in. */
    abstract Class<? extends ApplicationContext> stack();

    @Test
    void theStackUnderTestServesTheRequests() {
        assertThat(context).isInstanceOf(stack());
        assertThat(context.getBeansOfType(ResilienceExceptionHandler.class)).hasSize(1);
    }

    // ------------------------------------------------------------------------------------- each exception

    @ParameterizedTest(name = "retry after {0}ms: Retry-After {1}")
    @CsvSource({"1500, 2", "1000, 1", "1, 1", "59001, 60", "0, 0"})
    void aRefusedRateLimitAnswers429WithRetryAfterInWholeSecondsRoundedUp(long retryAfterMillis, String header) {
        Answer answer = get("/thrown/ratelimiter?retryAfterMillis=" + retryAfterMillis);

        assertProblem(answer, 429, "Too Many Requests", "ratelimiter", "web-limit",
                "Rate limiter 'web-limit' permits no further calls for now", "/thrown/ratelimiter");
        assertThat(answer.headers().get(HttpHeaders.RETRY_AFTER)).containsExactly(header);
    }

    @Test
    void aFullBulkheadAnswers503WithoutRetryAfter() {
        Answer answer = get("/thrown/bulkhead");

        assertProblem(answer, 503, "Service Unavailable", "bulkhead", "web-bulkhead", "Bulkhead 'web-bulkhead' is full",
                "/thrown/bulkhead");
        assertThat(answer.body()).as("the exception's own detail stays inside").doesNotContain("in flight");
        assertThat(answer.headers().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void anExpiredTimeoutAnswers504() {
        Answer answer = get("/thrown/timeout");

        assertProblem(answer, 504, "Gateway Timeout", "timeout", "web-timeout",
                "Timeout 'web-timeout' expired before the call finished", "/thrown/timeout");
        assertThat(answer.headers().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void anOpenBreakerTheRegistryDoesNotHoldAnswers503WithoutRetryAfter() {
        Answer answer = get("/thrown/circuitbreaker");

        assertProblem(answer, 503, "Service Unavailable", "circuitbreaker", "web-elsewhere",
                "Circuit breaker 'web-elsewhere' is open", "/thrown/circuitbreaker");
        assertThat(answer.headers().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(circuitBreakers.find("web-elsewhere")).as("looked up, never created").isEmpty();
    }

    @Test
    void aFailedFutureAnswersTheSameAsAThrownException() {
        Answer answer = get("/thrown/async-bulkhead");

        assertProblem(answer, 503, "Service Unavailable", "bulkhead", "web-async", "Bulkhead 'web-async' is full",
                "/thrown/async-bulkhead");
    }

    // ------------------------------------------------------------------------------------- raised by the annotations

    @Test
    void aForcedOpenBreakerOnTheControllerMethodAnswers503WithoutRetryAfterForItHasNoKnownEnd() {
        Answer answer = get("/protected/forced");

        assertProblem(answer, 503, "Service Unavailable", "circuitbreaker", WebTestApplication.FORCED,
                "Circuit breaker 'web-forced' is open", "/protected/forced");
        assertThat(answer.headers().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void aRateLimiterInAServiceAnswers429WithTheTimeUntilTheKeysNextPeriod() {
        // the manual clock stands still: alice's two calls of this minute pass, the third is refused until its end
        assertThat(get("/partner/offer-for?customer=alice").body()).isEqualTo("hot offer for alice");
        assertThat(get("/partner/offer-for?customer=alice").status()).isEqualTo(200);

        Answer refused = get("/partner/offer-for?customer=alice");

        assertProblem(refused, 429, "Too Many Requests", "ratelimiter", WebTestApplication.CUSTOMERS,
                "Rate limiter 'web-customers' permits no further calls for now", "/partner/offer-for");
        assertThat(refused.headers().get(HttpHeaders.RETRY_AFTER)).containsExactly("60");
        assertThat(refused.body()).as("the key stays inside").doesNotContain("alice");
        assertThat(get("/partner/offer-for?customer=bob").status()).as("bob has a limit of his own").isEqualTo(200);

        ticker.advance(Duration.ofMillis(15_500));
        assertThat(get("/partner/offer-for?customer=alice").headers().get(HttpHeaders.RETRY_AFTER))
                .containsExactly("45");
        ticker.advance(Duration.ofMillis(44_500));
        assertThat(get("/partner/offer-for?customer=alice").status()).isEqualTo(200);
    }

    @Test
    void anAsynchronousRateLimiterRefusalAnswers429Too() {
        assertThat(get("/partner/offer-for-async?customer=carol").status()).isEqualTo(200);
        assertThat(get("/partner/offer-for-async?customer=carol").status()).isEqualTo(200);

        Answer refused = get("/partner/offer-for-async?customer=carol");

        assertProblem(refused, 429, "Too Many Requests", "ratelimiter", WebTestApplication.CUSTOMERS,
                "Rate limiter 'web-customers' permits no further calls for now", "/partner/offer-for-async");
        assertThat(refused.headers().get(HttpHeaders.RETRY_AFTER)).containsExactly("60");
    }

    @Test
    void anOpenBreakerInAServiceAnswers503WithTheTimeLeftInOpenRoundedUp() {
        assertThat(get("/partner/offer").status()).isEqualTo(200);
        CircuitBreaker breaker = circuitBreakers.get(WebTestApplication.OPEN);
        breaker.transitionToOpenState();

        Answer fresh = get("/partner/offer");
        assertProblem(fresh, 503, "Service Unavailable", "circuitbreaker", WebTestApplication.OPEN,
                "Circuit breaker 'web-open' is open", "/partner/offer");
        assertThat(fresh.headers().get(HttpHeaders.RETRY_AFTER)).containsExactly("60");

        ticker.advance(Duration.ofMillis(20_500));
        assertThat(get("/partner/offer").headers().get(HttpHeaders.RETRY_AFTER)).containsExactly("40");

        ticker.advance(Duration.ofMillis(39_499));
        assertThat(get("/partner/offer").headers().get(HttpHeaders.RETRY_AFTER)).containsExactly("1");

        ticker.advance(Duration.ofMillis(1));
        assertThat(get("/partner/offer").status()).as("at the very end of the wait: refused, as in Resilience4j")
                .isEqualTo(503);

        ticker.advance(Duration.ofNanos(1));
        assertThat(get("/partner/offer").status()).as("the wait is over: a trial call").isEqualTo(200);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
    }

    @Test
    void aTimeoutInAServiceAnswers504AtItsDeadline() {
        Answer answer = get("/partner/slow-offer");

        assertProblem(answer, 504, "Gateway Timeout", "timeout", WebTestApplication.SLOW,
                "Timeout 'web-slow' expired before the call finished", "/partner/slow-offer");
    }

    // ------------------------------------------------------------------------------------- the application's own first

    @Test
    void theControllersOwnExceptionHandlerWins() {
        Answer answer = get("/own/local");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("answered by the controller's own handler");
    }

    @Test
    void anAdviceOfTheApplicationWinsEvenAtTheDefaultOrder() {
        Answer answer = get("/own/advised");

        assertThat(answer.status()).isEqualTo(418);
        assertThat(answer.body()).isEqualTo("answered by the application's advice");
    }

    @Test
    void anAdviceOfTheApplicationForAnyExceptionWinsOverOursForTheExactOne() {
        Answer answer = get("/own/catch-all");

        assertThat(answer.status()).isEqualTo(418);
        assertThat(answer.body()).isEqualTo("answered by the application's catch-all");
    }

    // ------------------------------------------------------------------------------------- support

    record Answer(int status, HttpHeaders headers, String body) {
    }

    Answer get(String path) {
        EntityExchangeResult<String> result = client.get().uri(path).exchange().expectBody(String.class).returnResult();
        return new Answer(result.getStatus().value(), result.getResponseHeaders(), result.getResponseBody());
    }

    static void assertProblem(Answer answer, int status, String title, String kind, String name, String detail,
            String path) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        Map<String, Object> problem = JsonPath.parse(answer.body()).read("$");
        assertThat(problem).containsEntry("status", status)
                .containsEntry("title", title)
                .containsEntry("detail", detail)
                .containsEntry("instance", path)
                .containsEntry("name", name)
                .containsEntry("kind", kind);
        assertThat(problem.getOrDefault("type", "about:blank")).isEqualTo("about:blank");
        assertThat(PROBLEM_FIELDS).containsAll(problem.keySet());
        assertThat(answer.body()).as("nothing internal")
                .doesNotContain("dev.resilience", "java.", "Exception", "\tat ", "trace");
    }
}
