package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Timeout;

class AsyncMethodsTest {

    private static final IllegalStateException SYNC_FAILURE = new IllegalStateException("thrown before any future");

    private static final IllegalArgumentException ASYNC_FAILURE = new IllegalArgumentException("failed future");

    private final TestPolicies policies = new TestPolicies();

    // the proxy has fields of its own: reach the state through the target
    private final AsyncService target = new AsyncService(policies.log);

    @Test
    void completableFutureMethodReturnsACompletableFutureThroughTheAsyncChain() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletableFuture<String> result = context.getBean(AsyncService.class).future("x");

            assertThat(result).isCompletedWithValue("future x");
            assertThat(policies.log).containsExactly("cb:AsyncService.future>", "future",
                    "<cb:AsyncService.future");
        });
    }

    @Test
    void completionStageMethodReturnsACompletableFuture() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletionStage<String> result = context.getBean(AsyncService.class).stage("y");

            assertThat(result).isInstanceOf(CompletableFuture.class);
            assertThat((CompletableFuture<String>) result).isCompletedWithValue("stage y");
            assertThat(policies.log).containsExactly("cb:AsyncService.stage>", "stage", "<cb:AsyncService.stage");
        });
    }

    @Test
    void completionStageThatIsNotACompletableFutureIsConverted() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletionStage<String> result = context.getBean(AsyncService.class).minimalStage();

            assertThat(result).isInstanceOf(CompletableFuture.class);
            assertThat((CompletableFuture<String>) result).isCompletedWithValue("minimal");
        });
    }

    @Test
    void synchronousThrowInAnAsyncMethodBecomesAFailedFutureWithTheSameException() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletableFuture<String> result = context.getBean(AsyncService.class).throwsSync();

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(SYNC_FAILURE);
            // the policies saw it as a failed stage, not a throw
            assertThat(policies.log).containsExactly("timeout:AsyncService.throwsSync>",
                    "<timeout:AsyncService.throwsSync");
        });
    }

    @Test
    void failedFutureKeepsTheMethodsException() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletableFuture<String> result = context.getBean(AsyncService.class).failsAsync();

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause().isSameAs(ASYNC_FAILURE);
        });
    }

    @Test
    void nullInsteadOfAStageBecomesAFailedFuture() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            CompletionStage<String> result = context.getBean(AsyncService.class).returnsNull();

            assertThat(result).isInstanceOf(CompletableFuture.class);
            assertThatThrownBy(((CompletableFuture<String>) result)::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("AsyncService.returnsNull() returned null");
        });
    }

    @Test
    void neverBlocksOnAPendingFuture() {
        policies.runner().withBean(AsyncService.class, () -> target).run(context -> {
            AsyncService bean = context.getBean(AsyncService.class);

            CompletableFuture<String> result = bean.pending();

            assertThat(result).isNotDone();
            assertThat(policies.log).containsExactly("cb:AsyncService.pending>");
            target.pending.complete("late");
            assertThat(result).isCompletedWithValue("late");
            assertThat(policies.log).containsExactly("cb:AsyncService.pending>", "<cb:AsyncService.pending");
        });
    }

    static class AsyncService {

        final CompletableFuture<String> pending = new CompletableFuture<>();

        private final List<String> log;

        AsyncService(List<String> log) {
            this.log = log;
        }

        @CircuitBreaker
        public CompletableFuture<String> future(String in) {
            log.add("future");
            return CompletableFuture.completedFuture("future " + in);
        }

        @CircuitBreaker
        public CompletionStage<String> stage(String in) {
            log.add("stage");
            return CompletableFuture.completedFuture("stage " + in);
        }

        @Bulkhead
        public CompletionStage<String> minimalStage() {
            return CompletableFuture.completedStage("minimal");
        }

        @Timeout
        public CompletableFuture<String> throwsSync() {
            throw SYNC_FAILURE;
        }

        @CircuitBreaker
        public CompletableFuture<String> failsAsync() {
            return CompletableFuture.failedFuture(ASYNC_FAILURE);
        }

        @Bulkhead
        public CompletionStage<String> returnsNull() {
            return null;
        }

        @CircuitBreaker
        public CompletableFuture<String> pending() {
            return pending;
        }
    }
}
