package dev.resilience.sample.offer;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.RateLimitExceededException;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * Asks the partner for a hot offer, protected by every resilience annotation, each with the instance named
 * {@code partner} (see {@code application.yml}). They nest, outermost first, as
 * Fallback → Retry → CircuitBreaker → Timeout → Bulkhead → the method:
 * <ul>
 * <li>the bulkhead lets at most a few calls wait on the partner at once, so a hanging partner cannot take
 * every thread of this service;</li>
 * <li>the timeout cuts each attempt at its deadline;</li>
 * <li>the circuit breaker counts failed attempts (errors and timeouts) and, when too many fail, stops calling
 * the partner for a while;</li>
 * <li>the retry tries an attempt that failed with an error once more, but not a timeout, a full bulkhead or an
 * open breaker (those would only make the caller wait longer);</li>
 * <li>the fallback answers the cold offer, saying why, whatever went wrong.</li>
 * </ul>
 */
@Service
public class OfferService {

    private final PartnerClient partner;
    private final ReactivePartnerClient reactivePartner;
    private final FallbackReasons reasons;
    private final AsyncTaskExecutor executor;

    public OfferService(PartnerClient partner, ReactivePartnerClient reactivePartner, FallbackReasons reasons,
            @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) AsyncTaskExecutor executor) {
        this.partner = partner;
        this.reactivePartner = reactivePartner;
        this.reasons = reasons;
        this.executor = executor;
    }

    /** The partner's hot offer, or the cold offer with the reason why. Never fails. */
    @Fallback(method = "coldOffer")
    @Retry("partner")
    @CircuitBreaker("partner")
    @Timeout("partner")
    @Bulkhead("partner")
    public Offer hotOffer() {
        return Offer.hot(partner.hotOffer());
    }

    /**
     * The partner's hot offer for one customer, as {@link #hotOffer()}, but each customer may ask only so often
     * (instance {@code customer}: 3 a minute). One who asks more often is refused with a
     * {@link RateLimitExceededException} that the fallback lets through ({@code skipOn}), so the caller gets
     * HTTP 429 with {@code Retry-After} rather than a cold offer: the customer is told to slow down, and the
     * partner is not asked at all. Every attempt of the retry takes a permit of the customer's limit.
     */
    @Fallback(method = "coldOffer", skipOn = RateLimitExceededException.class)
    @Retry("partner")
    @RateLimiter(name = "customer", key = "#customer")
    @CircuitBreaker("partner")
    @Timeout("partner")
    @Bulkhead("partner")
    public Offer hotOfferFor(String customer) {
        return Offer.hot(partner.hotOffer());
    }

    private Offer coldOffer(String customer, Throwable failure) {
        return Offer.cold(reasons.explain(failure));
    }

    /**
     * The same as {@link #hotOffer()}, without blocking the caller: the partner is called on the application's
     * task executor. When the timeout cancels the returned future, the cancellation interrupts that call.
     */
    @Fallback(method = "coldOfferAsync")
    @Retry("partner")
    @CircuitBreaker("partner")
    @Timeout("partner")
    @Bulkhead("partner")
    public CompletableFuture<Offer> hotOfferAsync() {
        CompletableFuture<Offer> offer = new CompletableFuture<>();
        Future<?> call = executor.submit(() -> {
            try {
                offer.complete(Offer.hot(partner.hotOffer()));
            } catch (RuntimeException failure) {
                offer.completeExceptionally(failure);
            } catch (Error error) {
                offer.completeExceptionally(error);
                throw error;
            }
        });
        offer.whenComplete((value, failure) -> {
            if (offer.isCancelled()) {
                call.cancel(true);
            }
        });
        return offer;
    }

    /**
     * The same again, reactive: a {@code WebClient} call whose {@code Mono} the annotations protect without holding a
     * thread. Nothing happens until it is subscribed to; then every attempt sends a new request, the bulkhead permit is
     * held until the partner answers, and at the deadline the request is cancelled.
     */
    @Fallback(method = "coldOfferReactive")
    @Retry("partner")
    @CircuitBreaker("partner")
    @Timeout("partner")
    @Bulkhead("partner")
    public Mono<Offer> hotOfferReactive() {
        return reactivePartner.hotOffer().map(Offer::hot);
    }

    private Offer coldOffer(Throwable failure) {
        return Offer.cold(reasons.explain(failure));
    }

    private CompletableFuture<Offer> coldOfferAsync(Throwable failure) {
        return CompletableFuture.completedFuture(Offer.cold(reasons.explain(failure)));
    }

    private Mono<Offer> coldOfferReactive(Throwable failure) {
        return Mono.fromSupplier(() -> Offer.cold(reasons.explain(failure)));
    }
}
