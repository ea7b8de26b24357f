package dev.resilience.aop;

import org.junit.jupiter.api.Test;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** The one ordered table of kinds, and the keyed lookup of their instances. */
class PolicyKindTest {

    @Test
    void theTableHasTheContractsOrderOutermostFirst() {
        assertThat(PolicyKind.CHAIN.stream().<Class<?>>map(PolicyKind::annotationType).toList())
                .containsExactly(Fallback.class, Retry.class, RateLimiter.class, CircuitBreaker.class, Timeout.class,
                        Bulkhead.class);
        assertThat(PolicyKind.CHAIN).extracting(PolicyKind::key)
                .containsExactly("fallback", "retry", "ratelimiter", "circuitbreaker", "timeout", "bulkhead");
        assertThat(ResilienceInterceptor.ANNOTATION_TYPES).containsExactly(Fallback.class, Retry.class,
                RateLimiter.class, CircuitBreaker.class, Timeout.class, Bulkhead.class);
    }

    @Test
    void onlyTheFallbackHasNoNamedInstancesAndOnlyRetryRepeatsTheRest() {
        assertThat(PolicyKind.CHAIN).filteredOn(kind -> !kind.isNamed()).containsExactly(PolicyKind.FALLBACK);
        assertThat(PolicyKind.CHAIN).filteredOn(PolicyKind::repeatsTheRest).containsExactly(PolicyKind.RETRY);
    }

    @Test
    void aKindWithoutALookupSaysWhichRegistryIsMissing() {
        ResiliencePolicies policies = ResiliencePolicies.builder().instances(PolicyKind.RETRY, name -> null).build();

        assertThatIllegalStateException().isThrownBy(() -> policies.policy(PolicyKind.BULKHEAD, "partner"))
                .withMessage("No bulkhead instances are available (is the bulkhead registry missing?)");
        assertThatIllegalStateException().isThrownBy(() -> policies.policy(PolicyKind.RETRY, "partner"))
                .withMessage("No retry instance named 'partner'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ResiliencePolicies.builder().instances(PolicyKind.FALLBACK, name -> null));
    }
}
