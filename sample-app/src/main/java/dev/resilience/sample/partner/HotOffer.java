package dev.resilience.sample.partner;

/**
 * The partner's answer to {@code GET /partner/offers/hot}.
 *
 * @param offer   what is on offer
 * @param partner who offers it
 */
public record HotOffer(String offer, String partner) {
}
