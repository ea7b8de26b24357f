package dev.resilience.sample.offer;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /offer}, {@code GET /offer/async} and {@code GET /offer/reactive}: the offer of the moment, hot from the
 * partner or cold, through a blocking call, a {@code CompletableFuture} and a {@code Mono}.
 * {@code GET /offer?customer=alice} is the same offer for one customer, who may ask for it only so often (HTTP 429
 * with {@code Retry-After} beyond that).
 */
@RestController
public class OfferController {

    private final OfferService offers;

    public OfferController(OfferService offers) {
        this.offers = offers;
    }

    @GetMapping("/offer")
    public Offer offer(@RequestParam(required = false) String customer) {
        return (customer == null) ? offers.hotOffer() : offers.hotOfferFor(customer);
    }

    @GetMapping("/offer/async")
    public CompletableFuture<Offer> offerAsync() {
        return offers.hotOfferAsync();
    }

    /** Spring MVC subscribes to the Mono and answers when it does, without holding the request thread meanwhile. */
    @GetMapping("/offer/reactive")
    public Mono<Offer> offerReactive() {
        return offers.hotOfferReactive();
    }
}
