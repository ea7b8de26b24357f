package dev.resilience.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class RateLimitExceededExceptionTest {

    @Test
    void carriesTheNameAndTheWaitAndSaysBothWithoutAStackTrace() {
        RateLimitExceededException refused = new RateLimitExceededException("partner", Duration.ofMillis(1500));

        assertThat(refused).isInstanceOf(ResilienceException.class).isInstanceOf(RuntimeException.class);
        assertThat(refused.getName()).isEqualTo("partner");
        assertThat(refused.getRetryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(refused).hasMessage("RateLimiter 'partner' does not permit further calls: retry after 1500ms");
        assertThat(refused.getStackTrace()).isEmpty();
    }

    @Test
    void aWaitIsZeroOrMore() {
        assertThat(new RateLimitExceededException("partner", Duration.ZERO).getRetryAfter()).isZero();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new RateLimitExceededException("partner", Duration.ofMillis(-1)))
                .withMessageContaining("retryAfter");
        assertThatNullPointerException().isThrownBy(() -> new RateLimitExceededException("partner", null));
    }
}
