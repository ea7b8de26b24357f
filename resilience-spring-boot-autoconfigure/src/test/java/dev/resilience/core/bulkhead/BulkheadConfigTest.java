package dev.resilience.core.bulkhead;

import dev.resilience.core.InvalidConfigException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The range checks of the bulkhead config that bound what a bulkhead allocates. */
class BulkheadConfigTest {

    @Test
    void theQueueOfAThreadPoolHoldsAtMostAMillionCalls() {
        assertThat(BulkheadConfig.builder().queueCapacity(1_000_000).build().queueCapacity())
                .isEqualTo(1_000_000);
        assertThatThrownBy(() -> BulkheadConfig.builder().type(BulkheadConfig.Type.THREAD_POOL)
                .queueCapacity(Integer.MAX_VALUE).build())
                .isInstanceOf(InvalidConfigException.class)
                .hasMessage("queue-capacity must be at most 1000000, was 2147483647");
    }
}
