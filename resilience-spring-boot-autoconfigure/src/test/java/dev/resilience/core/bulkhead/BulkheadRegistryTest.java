package dev.resilience.core.bulkhead;

import dev.resilience.core.BulkheadFullException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class BulkheadRegistryTest {

    private static final BulkheadConfig SEMAPHORE = BulkheadConfig.builder().maxConcurrentCalls(7).build();
    private static final BulkheadConfig POOL = BulkheadConfig.builder().type(BulkheadConfig.Type.THREAD_POOL)
            .coreThreadPoolSize(1).maxThreadPoolSize(2).queueCapacity(3).build();

    private static final Function<String, BulkheadConfig> CONFIGS = name -> name.startsWith("pool") ? POOL : SEMAPHORE;

    @Test
    void createsTheKindOfBulkheadTheConfigAsksForOncePerName() {
        AtomicInteger lookups = new AtomicInteger();
        try (BulkheadRegistry registry = new BulkheadRegistry(name -> {
            lookups.incrementAndGet();
            return CONFIGS.apply(name);
        })) {
            Bulkhead semaphore = registry.get("inventory");
            Bulkhead pool = registry.get("pool-reports");

            assertThat(semaphore).isInstanceOf(SemaphoreBulkhead.class);
            assertThat(semaphore.getConfig()).isEqualTo(SEMAPHORE);
            assertThat(semaphore.getMaxConcurrentCalls()).isEqualTo(7);
            assertThat(pool).isInstanceOf(ThreadPoolBulkhead.class);
            assertThat(pool.getMaxConcurrentCalls()).isEqualTo(2);
            assertThat(registry.get("inventory")).isSameAs(semaphore);
            assertThat(registry.get("pool-reports")).isSameAs(pool);
            assertThat(lookups).hasValue(2);
            assertThat(registry.getAll()).containsExactlyInAnyOrder(semaphore, pool);
        }
    }

    @Test
    void closeShutsEveryThreadPoolDown() {
        BulkheadRegistry registry = new BulkheadRegistry(CONFIGS);
        Bulkhead first = registry.get("pool-a");
        Bulkhead second = registry.get("pool-b");
        Bulkhead semaphore = registry.get("plain");

        registry.close();

        assertRejectsAsShutDown(first);
        assertRejectsAsShutDown(second);
        assertThat(semaphore.decorateAsync(context -> CompletableFuture.completedFuture("ok")).invoke(null)
                .toCompletableFuture().join()).isEqualTo("ok");
    }

    @Test
    void removeClosesTheRemovedBulkhead() {
        try (BulkheadRegistry registry = new BulkheadRegistry(CONFIGS)) {
            Bulkhead pool = registry.get("pool-gone");

            assertThat(registry.remove("pool-gone")).containsSame(pool);

            assertRejectsAsShutDown(pool);
            assertThat(registry.find("pool-gone")).isEmpty();
        }
    }

    @Test
    void threadPoolBulkheadsGetTheRegistrysContextPropagator() {
        AtomicInteger wrapped = new AtomicInteger();
        try (BulkheadRegistry registry = new BulkheadRegistry(CONFIGS, task -> {
            wrapped.incrementAndGet();
            return task;
        })) {
            registry.get("pool-context").decorateAsync(context -> CompletableFuture.completedFuture("ok"))
                    .invoke(null).toCompletableFuture().join();

            assertThat(wrapped).hasValue(1);
        }
    }

    @Test
    void aNameWithoutConfigFailsNamingIt() {
        try (BulkheadRegistry registry = new BulkheadRegistry(name -> null)) {
            assertThatThrownBy(() -> registry.get("orphan")).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("'orphan'");
        }
    }

    private static void assertRejectsAsShutDown(Bulkhead bulkhead) {
        CompletableFuture<Object> result = bulkhead.decorateAsync(context -> CompletableFuture.completedFuture("ok"))
                .invoke(null).toCompletableFuture();
        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).cause().isInstanceOf(BulkheadFullException.class)
                .hasMessageContaining("shut down");
    }
}
