package dev.resilience.sample.offer;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.concurrent.CompletableFuture;

/** {@code GET /offer} and {@code GET /offer/async}: the offer of the moment, hot from the partner or cold. */
@RestController
public class OfferController {

    private final OfferService offers;

    public OfferController(OfferService offers) {
        this.offers = offers;
    }

    @GetMapping("/offer")
    public Offer offer() {
        return offers.hotOffer();
    }

    @GetMapping("/offer/async")
    public CompletableFuture<Offer> offerAsync() {
        return offers.hotOfferAsync();
    }
}
