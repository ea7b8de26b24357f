package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;

class FallbackTest {

    private static final IOException FALLBACK_FAILURE = new IOException("the fallback failed too");

    private static final IllegalArgumentException ASYNC_FALLBACK_FAILURE =
            new IllegalArgumentException("the async fallback failed too");

    private final TestPolicies policies = new TestPolicies();

    private final List<String> calls = new CopyOnWriteArrayList<>();

    private ApplicationContextRunner runner(boolean proxyTargetClass) {
        return policies.runner(proxyTargetClass).withBean(FallbackService.class, () -> new FallbackService(calls));
    }

    @Test
    void fallbackWithoutExceptionParameter() {
        runner(false).run(context -> {
            assertThat(context.getBean(FallbackService.class).withoutParameter("x")).isEqualTo("plain fallback x");
        });
    }

    @Test
    void fallbackWithExceptionParameterReceivesTheFailure() {
        runner(false).run(context -> {
            assertThat(context.getBean(FallbackService.class).withParameter("x")).isEqualTo("x: failed with x");
        });
    }

    @Test
    void theMostSpecificOverloadWins() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.overloaded("io")).isEqualTo("IOException overload: io");
            assertThat(bean.overloaded("fnf")).isEqualTo("IOException overload: fnf");
            assertThat(bean.overloaded("state")).isEqualTo("Exception overload: state");
            assertThat(bean.overloaded("error")).isEqualTo("overload without exception: error");
            // the same overloads declared in the opposite order: the declaration order does not matter
            assertThat(bean.overloadedReversed("io")).isEqualTo("IOException overload: io");
            assertThat(bean.overloadedReversed("fnf")).isEqualTo("IOException overload: fnf");
            assertThat(bean.overloadedReversed("state")).isEqualTo("Exception overload: state");
            assertThat(bean.overloadedReversed("error")).isEqualTo("overload without exception: error");
        });
    }

    @Test
    void applyOnLimitsTheFallbackAndOtherThrowablesPropagateUnchanged() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.onlyIo(true)).isEqualTo("only io fallback");
            assertThatThrownBy(() -> bean.onlyIo(false)).isSameAs(FallbackService.NOT_IO);
        });
    }

    @Test
    void skipOnWinsOverApplyOn() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.skipping(false)).isEqualTo("skipping fallback");
            assertThatThrownBy(() -> bean.skipping(true)).isSameAs(FallbackService.SKIPPED);
        });
    }

    @Test
    void aFailureNoOverloadAcceptsPropagatesUnchanged() {
        runner(false).run(context -> {
            assertThatThrownBy(() -> context.getBean(FallbackService.class).onlyIoOverload())
                    .isSameAs(FallbackService.NOT_IO);
        });
    }

    @Test
    void privateFallbackInASuperclassAndStaticFallback() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.inheritedFallback("x")).isEqualTo("private in base: x after inherited");
            assertThat(bean.staticFallback("x")).isEqualTo("static x");
        });
    }

    @Test
    void primitiveAndVoidFallbacks() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.number()).isEqualTo(7);
            bean.nothing();

            assertThat(calls).containsExactly("number", "nothing", "voidFallback");
        });
    }

    @Test
    void fallbackThrowingItsOwnCheckedExceptionReachesTheCallerUnchanged() {
        runner(false).run(context -> {
            assertThatThrownBy(() -> context.getBean(FallbackService.class).fallbackFails("x"))
                    .isSameAs(FALLBACK_FAILURE);
        });
    }

    @Test
    void fallbackAnswersForAPolicyInsideIt() {
        policies.with("cb", (name, log) -> new RejectingPolicy(name));
        runner(false).run(context -> {
            assertThat(context.getBean(FallbackService.class).guarded()).isEqualTo("rejected by guarded");
            assertThat(calls).isEmpty();
        });
    }

    @Test
    void asyncFallbackAnswersAFailedFutureAndASynchronousThrow() {
        runner(false).run(context -> {
            FallbackService bean = context.getBean(FallbackService.class);

            assertThat(bean.asyncFuture(false)).isCompletedWithValue("async fallback after failed future");
            assertThat(bean.asyncFuture(true)).isCompletedWithValue("async fallback after sync throw");
        });
    }

    @Test
    void asyncFallbackForACompletionStageMayReturnACompletableFuture() {
        runner(false).run(context -> {
            CompletionStage<String> result = context.getBean(FallbackService.class).asyncStage();

            assertThat(result).isInstanceOf(CompletableFuture.class);
            assertThat((CompletableFuture<String>) result).isCompletedWithValue("stage fallback");
        });
    }

    @Test
    void asyncFallbackThatThrowsFailsTheFutureWithItsException() {
        runner(false).run(context -> {
            CompletableFuture<String> result = context.getBean(FallbackService.class).asyncFallbackFails();

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause()
                    .isSameAs(ASYNC_FALLBACK_FAILURE);
        });
    }

    @Test
    void typeLevelFallbackCoversEveryPublicMethod() {
        policies.runner().withBean(TypeLevelFallback.class).run(context -> {
            TypeLevelFallback bean = context.getBean(TypeLevelFallback.class);

            assertThat(bean.one()).isEqualTo("type fallback: one");
            assertThat(bean.two()).isEqualTo("type fallback: two");
        });
    }

    static class Base {

        @SuppressWarnings("unused")
        private String privateFallback(String in, RuntimeException failure) {
            return "private in base: " + in + " after " + failure.getMessage();
        }
    }

    static class FallbackService extends Base {

        static final IllegalStateException NOT_IO = new IllegalStateException("not io");

        static final IllegalArgumentException SKIPPED = new IllegalArgumentException("skipped");

        private final List<String> calls;

        FallbackService(List<String> calls) {
            this.calls = calls;
        }

        @Fallback("plainFallback")
        public String withoutParameter(String in) {
            throw new IllegalStateException("failed");
        }

        String plainFallback(String in) {
            return "plain fallback " + in;
        }

        @Fallback("describeFailure")
        public String withParameter(String in) {
            throw new IllegalStateException("failed with " + in);
        }

        protected String describeFailure(String in, IllegalStateException failure) {
            return in + ": " + failure.getMessage();
        }

        @Fallback("recover")
        public String overloaded(String kind) throws IOException {
            switch (kind) {
                case "io" -> throw new IOException(kind);
                case "fnf" -> throw new FileNotFoundException(kind);
                case "state" -> throw new IllegalStateException(kind);
                default -> throw new AssertionError(kind);
            }
        }

        String recover(String kind) {
            return "overload without exception: " + kind;
        }

        String recover(String kind, Exception failure) {
            return "Exception overload: " + failure.getMessage();
        }

        String recover(String kind, IOException failure) {
            return "IOException overload: " + failure.getMessage();
        }

        @Fallback("recoverReversed")
        public String overloadedReversed(String kind) throws IOException {
            return overloaded(kind);
        }

        String recoverReversed(String kind, IOException failure) {
            return "IOException overload: " + failure.getMessage();
        }

        String recoverReversed(String kind, Exception failure) {
            return "Exception overload: " + failure.getMessage();
        }

        String recoverReversed(String kind) {
            return "overload without exception: " + kind;
        }

        @Fallback(method = "ioFallback", applyOn = IOException.class)
        public String onlyIo(boolean io) throws IOException {
            if (io) {
                throw new IOException("io");
            }
            throw NOT_IO;
        }

        String ioFallback(boolean io) {
            return "only io fallback";
        }

        @Fallback(value = "skippingFallback", applyOn = RuntimeException.class, skipOn = IllegalArgumentException.class)
        public String skipping(boolean skip) {
            throw skip ? SKIPPED : new IllegalStateException("not skipped");
        }

        String skippingFallback(boolean skip) {
            return "skipping fallback";
        }

        @Fallback("ioOnlyOverload")
        public String onlyIoOverload() {
            throw NOT_IO;
        }

        String ioOnlyOverload(IOException failure) {
            return "never";
        }

        @Fallback("privateFallback")
        public String inheritedFallback(String in) {
            throw new IllegalStateException("inherited");
        }

        @Fallback("staticRecovery")
        public String staticFallback(String in) {
            throw new IllegalStateException("static");
        }

        static String staticRecovery(String in, Throwable failure) {
            return "static " + in;
        }

        @Fallback("numberFallback")
        public int number() {
            calls.add("number");
            throw new IllegalStateException("number");
        }

        int numberFallback() {
            return 7;
        }

        @Fallback("voidFallback")
        public void nothing() {
            calls.add("nothing");
            throw new IllegalStateException("nothing");
        }

        void voidFallback(Throwable failure) {
            calls.add("voidFallback");
        }

        @Fallback("failingFallback")
        public String fallbackFails(String in) throws IOException {
            throw new IllegalStateException("method failed");
        }

        String failingFallback(String in) throws IOException {
            throw FALLBACK_FAILURE;
        }

        @Fallback("rejectedFallback")
        @CircuitBreaker
        public String guarded() {
            calls.add("guarded");
            return "guarded";
        }

        String rejectedFallback(RejectedException failure) {
            return "rejected by " + failure.getMessage();
        }

        @Fallback("asyncFallback")
        public CompletableFuture<String> asyncFuture(boolean throwSync) {
            if (throwSync) {
                throw new IllegalStateException("sync throw");
            }
            return CompletableFuture.failedFuture(new IllegalStateException("failed future"));
        }

        CompletableFuture<String> asyncFallback(boolean throwSync, IllegalStateException failure) {
            return CompletableFuture.completedFuture("async fallback after " + failure.getMessage());
        }

        @Fallback("stageFallback")
        public CompletionStage<String> asyncStage() {
            return CompletableFuture.failedFuture(new IllegalStateException("stage"));
        }

        CompletableFuture<String> stageFallback() {
            return CompletableFuture.completedFuture("stage fallback");
        }

        @Fallback("asyncFailingFallback")
        public CompletableFuture<String> asyncFallbackFails() {
            return CompletableFuture.failedFuture(new IllegalStateException("async"));
        }

        CompletableFuture<String> asyncFailingFallback() {
            throw ASYNC_FALLBACK_FAILURE;
        }
    }

    @Fallback("typeFallback")
    static class TypeLevelFallback {

        public String one() {
            throw new IllegalStateException("one");
        }

        public String two() {
            throw new IllegalStateException("two");
        }

        String typeFallback(Throwable failure) {
            return "type fallback: " + failure.getMessage();
        }
    }

    static class RejectedException extends RuntimeException {

        RejectedException(String name) {
            super(name);
        }
    }

    /** Rejects every call without running what lies inside, like an open breaker. */
    record RejectingPolicy(String name) implements dev.resilience.core.Policy {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public <C> dev.resilience.core.Call<C> decorate(dev.resilience.core.Call<C> next) {
            return context -> {
                throw new RejectedException("guarded");
            };
        }

        @Override
        public <C> dev.resilience.core.AsyncCall<C> decorateAsync(dev.resilience.core.AsyncCall<C> next) {
            return context -> CompletableFuture.failedFuture(new RejectedException("guarded"));
        }
    }
}
