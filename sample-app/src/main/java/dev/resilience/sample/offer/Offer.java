package dev.resilience.sample.offer;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code GET /offer} answers.
 *
 * @param offer  the offer shown to the customer
 * @param source {@value #PARTNER} when the partner answered, {@value #FALLBACK} when the cold offer stood in
 * @param reason why the fallback answered (absent when the partner did)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Offer(String offer, String source, String reason) {

    public static final String PARTNER = "partner";
    public static final String FALLBACK = "fallback";

    /** The offer every customer gets when the partner cannot answer. */
    static final String COLD_OFFER = "10% off your next order";

    static Offer hot(PartnerOffer partnerOffer) {
        return new Offer(partnerOffer.offer() + " at " + partnerOffer.partner(), PARTNER, null);
    }

    static Offer cold(String reason) {
        return new Offer(COLD_OFFER, FALLBACK, reason);
    }
}
