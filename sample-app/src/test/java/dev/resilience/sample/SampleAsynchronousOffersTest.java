package dev.resilience.sample;

import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code GET /offer/async} (a {@code CompletableFuture} method) and {@code GET /offer/reactive} (a {@code Mono}
 * method with a {@code WebClient}) answer alike: the same protection as the synchronous offer. What differs, how a
 * hanging partner's call ends, is in {@link SampleAsyncTest} and {@link SampleReactiveTest}.
 */
class SampleAsynchronousOffersTest extends SampleTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"/offer/async", "/offer/reactive"})
    void aHealthyPartnerAnswersTheHotOffer(String path) {
        Offer offer = offer(path);

        assertThat(offer.source()).isEqualTo(Offer.PARTNER);
        assertThat(offer.reason()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/offer/async", "/offer/reactive"})
    void aFailingPartnerIsTriedTwiceThenTheColdOfferAnswers(String path) {
        chaos("{\"failureRate\": 1.0, \"status\": 503}");
        long before = partnerCalls();

        Offer offer = offer(path);

        assertThat(offer.source()).isEqualTo(Offer.FALLBACK);
        assertThat(offer.reason()).isEqualTo("partner answered 503");
        assertThat(partnerCalls() - before).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/offer/async", "/offer/reactive"})
    void aClientErrorIsNotRetried(String path) {
        chaos("{\"failureRate\": 1.0, \"status\": 429}");
        long before = partnerCalls();

        Offer offer = offer(path);

        assertThat(offer.reason()).isEqualTo("partner answered 429");
        assertThat(partnerCalls() - before).isEqualTo(1);
    }
}
