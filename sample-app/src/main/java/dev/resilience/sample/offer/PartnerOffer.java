package dev.resilience.sample.offer;

/**
 * The partner's answer as the offer service reads it: {@code {"offer": "...", "partner": "..."}}.
 *
 * @param offer   what is on offer
 * @param partner who offers it
 */
public record PartnerOffer(String offer, String partner) {
}
