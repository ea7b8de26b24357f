package dev.resilience.web;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.ResilienceException;
import dev.resilience.core.TimeoutExceededException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The application of the HTTP tests, served by Spring MVC or by WebFlux (the same annotated controllers serve
 * both): endpoints that throw each exception, annotated methods on a controller and on a service that raise them for
 * real, and handlers of the application's own that must win over ours. Time of the breakers from a
 * {@link ManualTicker}; settings in {@code application-web.yml}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({WebTestApplication.Thrown.class, WebTestApplication.Protected.class, WebTestApplication.Partner.class,
        WebTestApplication.ThroughPartner.class,
        WebTestApplication.LocallyHandled.class, WebTestApplication.Advised.class,
        WebTestApplication.CatchAllAdvised.class, WebTestApplication.ApplicationAdvice.class,
        WebTestApplication.CatchAllAdvice.class})
public class WebTestApplication {

    /** A FORCED_OPEN breaker on a controller method and on a locally handled one. */
    static final String FORCED = "web-forced";
    /** An OPEN breaker with a 60s wait, in a service. */
    static final String OPEN = "web-open";
    /** A 100ms timeout, in a service. */
    static final String SLOW = "web-slow";
    /** Two calls a minute per customer, without waiting, in a service. */
    static final String CUSTOMERS = "web-customers";

    @Bean
    ManualTicker resilienceTicker() {
        return new ManualTicker();
    }

    /** Each exception thrown as it is, as any code under a controller could. */
    @RestController
    static class Thrown {

        @GetMapping("/thrown/ratelimiter")
        String rateLimiter(@RequestParam long retryAfterMillis) {
            throw new RateLimitExceededException("web-limit", Duration.ofMillis(retryAfterMillis));
        }

        /** A breaker of a name the registry does not hold: its time left is unknown. */
        @GetMapping("/thrown/circuitbreaker")
        String circuitBreaker() {
            throw new CircuitBreakerOpenException("web-elsewhere", "OPEN");
        }

        @GetMapping("/thrown/bulkhead")
        String bulkhead() {
            throw new BulkheadFullException("web-bulkhead", "25 calls in flight, no room within 0ms");
        }

        @GetMapping("/thrown/timeout")
        String timeout() {
            throw new TimeoutExceededException("web-timeout", Duration.ofMillis(250));
        }

        /** The failure arrives in the returned future, wrapped in a CompletionException. */
        @GetMapping("/thrown/async-bulkhead")
        CompletableFuture<String> asyncBulkhead() {
            return CompletableFuture.supplyAsync(() -> {
                throw new BulkheadFullException("web-async", "no room");
            });
        }
    }

    /** The annotations on the controller's own method. */
    @RestController
    static class Protected {

        @CircuitBreaker(FORCED)
        @GetMapping("/protected/forced")
        public String forced() {
            return "through";
        }
    }

    /** A service the controller calls, protected by the annotations. */
    public static class Partner {

        @CircuitBreaker(OPEN)
        public String offer() {
            return "hot offer";
        }

        @RateLimiter(name = CUSTOMERS, key = "#customer")
        public String offerFor(String customer) {
            return "hot offer for " + customer;
        }

        @RateLimiter(name = CUSTOMERS, key = "#customer")
        public CompletableFuture<String> offerForAsync(String customer) {
            return CompletableFuture.completedFuture("hot offer for " + customer);
        }

        /** Hangs until the timeout interrupts it. */
        @Timeout(SLOW)
        public String slowOffer() throws InterruptedException {
            new CountDownLatch(1).await();
            return "never";
        }
    }

    /** Calls the protected service. */
    @RestController
    static class ThroughPartner {

        private final Partner partner;

        ThroughPartner(Partner partner) {
            this.partner = partner;
        }

        @GetMapping("/partner/offer")
        String offer() {
            return partner.offer();
        }

        @GetMapping("/partner/offer-for")
        String offerFor(@RequestParam String customer) {
            return partner.offerFor(customer);
        }

        @GetMapping("/partner/offer-for-async")
        CompletableFuture<String> offerForAsync(@RequestParam String customer) {
            return partner.offerForAsync(customer);
        }

        @GetMapping("/partner/slow-offer")
        String slowOffer() throws InterruptedException {
            return partner.slowOffer();
        }
    }

    /** The application's controller-local handler answers the refusal of its own protected method. */
    @RestController
    static class LocallyHandled {

        @CircuitBreaker(FORCED)
        @GetMapping("/own/local")
        public String forced() {
            return "through";
        }

        @ExceptionHandler
        ResponseEntity<String> refused(CircuitBreakerOpenException refused) {
            return ResponseEntity.ok("answered by the controller's own handler");
        }
    }

    @RestController
    static class Advised {

        @GetMapping("/own/advised")
        String bulkhead() {
            throw new BulkheadFullException("web-bulkhead", "no room");
        }
    }

    @RestController
    static class CatchAllAdvised {

        @GetMapping("/own/catch-all")
        String timeout() {
            throw new TimeoutExceededException("web-timeout", Duration.ofMillis(250));
        }
    }

    /** An advice of the application, of the default order (the lowest precedence, as ours). */
    @RestControllerAdvice(assignableTypes = Advised.class)
    static class ApplicationAdvice {

        @ExceptionHandler
        ResponseEntity<String> resilience(ResilienceException failure) {
            return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("answered by the application's advice");
        }
    }

    /** An advice of the application that handles any exception: less specific than ours, and still first. */
    @RestControllerAdvice(assignableTypes = CatchAllAdvised.class)
    static class CatchAllAdvice {

        @ExceptionHandler
        ResponseEntity<String> any(Exception failure) {
            return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("answered by the application's catch-all");
        }
    }
}
