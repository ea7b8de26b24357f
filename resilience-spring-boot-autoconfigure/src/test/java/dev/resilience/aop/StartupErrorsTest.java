package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Policy;

/** Every mistake fails the start, with a message that says where and what was expected. */
class StartupErrorsTest {

    private static final String PREFIX = "dev.resilience.aop.StartupErrorsTest$";

    private final TestPolicies policies = new TestPolicies();

    @Test
    void missingFallbackMethod() {
        assertStartFails(MissingFallback.class, FallbackMethodException.class,
                "No fallback method 'coldOffer' for MissingFallback.hotOffer(String): expected a method named "
                        + "coldOffer on " + PREFIX + "MissingFallback or a superclass, with parameters (String) or "
                        + "(String, <? extends Throwable>), returning a type assignable to Offer");
    }

    @Test
    void fallbackWithTheWrongReturnType() {
        assertStartFails(WrongReturnType.class, FallbackMethodException.class,
                "Fallback method 'coldOffer' for WrongReturnType.hotOffer(String) does not match: expected a method "
                        + "named coldOffer on " + PREFIX + "WrongReturnType or a superclass, with parameters (String) "
                        + "or (String, <? extends Throwable>), returning a type assignable to Offer; found "
                        + "String coldOffer(String, IOException) on " + PREFIX + "WrongReturnType "
                        + "(return type String is not assignable to Offer)");
    }

    @Test
    void fallbackWithTheWrongParameters() {
        assertStartFails(WrongParameters.class, FallbackMethodException.class,
                "Fallback method 'coldOffer' for WrongParameters.hotOffer(String, int) does not match: expected a "
                        + "method named coldOffer on " + PREFIX + "WrongParameters or a superclass, with parameters "
                        + "(String, int) or (String, int, <? extends Throwable>), returning a type assignable to "
                        + "Offer; found ",
                "Offer coldOffer(int, String) on " + PREFIX + "WrongParameters (parameters do not match)",
                "Offer coldOffer(String, int, String) on " + PREFIX + "WrongParameters (parameters do not match)",
                "Offer coldOffer(String) on " + PREFIX + "ParentWithWrongParameters (parameters do not match)");
    }

    @Test
    void synchronousFallbackForAnAsyncMethod() {
        assertStartFails(SyncFallbackForAsync.class, FallbackMethodException.class,
                "Fallback method 'coldOffer' for SyncFallbackForAsync.hotOffer(String) does not match: expected a "
                        + "method named coldOffer on " + PREFIX + "SyncFallbackForAsync or a superclass, with "
                        + "parameters (String) or (String, <? extends Throwable>), returning a type assignable to "
                        + "CompletionStage<Offer> (an asynchronous method needs an asynchronous fallback); found "
                        + "Offer coldOffer(String) on " + PREFIX + "SyncFallbackForAsync (return type Offer is not "
                        + "assignable to CompletionStage<Offer>)");
    }

    @Test
    void asyncFallbackOfAnotherValueType() {
        assertStartFails(AsyncFallbackOfWrongType.class, FallbackMethodException.class,
                "Fallback method 'coldOffer' for AsyncFallbackOfWrongType.hotOffer() does not match",
                "returning a type assignable to CompletableFuture<Offer>",
                "found CompletableFuture<String> coldOffer() on " + PREFIX + "AsyncFallbackOfWrongType (return "
                        + "type CompletableFuture<String> is not assignable to CompletableFuture<Offer>)");
    }

    @Test
    void emptyFallbackName() {
        assertStartFails(EmptyFallbackName.class, FallbackMethodException.class,
                "Empty fallback method name '' in @Fallback for EmptyFallbackName.hotOffer(String): expected a method "
                        + "named <name> on " + PREFIX + "EmptyFallbackName or a superclass, with parameters (String) "
                        + "or (String, <? extends Throwable>), returning a type assignable to Offer");
    }

    @Test
    void policyThatCannotProtectTheMethod() {
        policies.with("bulkhead", (name, log) -> new SyncRefusingPolicy(name));
        assertStartFails(SyncBulkhead.class, ResilienceAnnotationException.class,
                "Cannot apply resilience annotations to SyncBulkhead.load(String) of bean class " + PREFIX
                        + "SyncBulkhead: the thread-pool bulkhead 'pool' cannot protect a synchronous method");
    }

    @Test
    void unknownPolicyInstance() {
        policies.with("cb", (name, log) -> null);
        assertStartFails(UnknownInstance.class, ResilienceAnnotationException.class,
                "Cannot apply resilience annotations to UnknownInstance.load() of bean class " + PREFIX
                        + "UnknownInstance: No circuit breaker instance named 'nowhere'");
    }

    @Test
    void unsupportedAsyncReturnType() {
        assertStartFails(CustomFuture.class, ResilienceAnnotationException.class,
                "Cannot apply resilience annotations to CustomFuture.load() of bean class " + PREFIX
                        + "CustomFuture: the asynchronous return type " + PREFIX + "MyFuture is not supported: "
                        + "declare CompletionStage or CompletableFuture");
    }

    @Test
    void conflictingNameAndValue() {
        assertStartFails(ConflictingAliases.class, ResilienceAnnotationException.class,
                "Cannot apply resilience annotations to ConflictingAliases.load() of bean class " + PREFIX
                        + "ConflictingAliases: ", "'name'", "'value'");
    }

    private void assertStartFails(Class<?> beanClass, Class<? extends Throwable> type, String... messageParts) {
        ApplicationContextRunner runner = policies.runner().withBean(beanClass);
        runner.run((AssertableApplicationContext context) -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            while (failure != null && failure.getClass() != type) {
                failure = failure.getCause();
            }
            assertThat(failure).as("a %s in the cause chain of %s", type.getSimpleName(), context.getStartupFailure())
                    .isNotNull();
            assertThat(failure.getMessage()).contains(messageParts);
        });
    }

    record Offer(String id) {
    }

    static class MissingFallback {

        @Fallback("coldOffer")
        public Offer hotOffer(String id) {
            return new Offer(id);
        }
    }

    static class WrongReturnType {

        @Fallback("coldOffer")
        public Offer hotOffer(String id) {
            return new Offer(id);
        }

        Offer coldOffer(String id) {
            return new Offer(id);
        }

        String coldOffer(String id, java.io.IOException failure) {
            return id;
        }
    }

    static class ParentWithWrongParameters {

        Offer coldOffer(String id) {
            return new Offer(id);
        }
    }

    static class WrongParameters extends ParentWithWrongParameters {

        @Fallback("coldOffer")
        public Offer hotOffer(String id, int count) {
            return new Offer(id);
        }

        Offer coldOffer(int count, String id) {
            return new Offer(id);
        }

        Offer coldOffer(String id, int count, String extra) {
            return new Offer(id);
        }
    }

    static class SyncFallbackForAsync {

        @Fallback("coldOffer")
        public CompletionStage<Offer> hotOffer(String id) {
            return CompletableFuture.completedFuture(new Offer(id));
        }

        Offer coldOffer(String id) {
            return new Offer(id);
        }
    }

    static class AsyncFallbackOfWrongType {

        @Fallback("coldOffer")
        public CompletableFuture<Offer> hotOffer() {
            return CompletableFuture.completedFuture(new Offer("hot"));
        }

        CompletableFuture<String> coldOffer() {
            return CompletableFuture.completedFuture("cold");
        }
    }

    static class EmptyFallbackName {

        @Fallback
        public Offer hotOffer(String id) {
            return new Offer(id);
        }
    }

    static class SyncBulkhead {

        @Bulkhead("pool")
        public String load(String id) {
            return id;
        }
    }

    static class UnknownInstance {

        @CircuitBreaker("nowhere")
        public String load() {
            return "loaded";
        }
    }

    static class ConflictingAliases {

        @CircuitBreaker(name = "a", value = "b")
        public String load() {
            return "loaded";
        }
    }

    static class MyFuture extends CompletableFuture<String> {
    }

    static class CustomFuture {

        @CircuitBreaker
        public MyFuture load() {
            return new MyFuture();
        }
    }

    /** Like a thread-pool bulkhead: refuses to decorate a synchronous call. */
    record SyncRefusingPolicy(String name) implements Policy {

        @Override
        public String getName() {
            return name;
        }

        @Override
        public <C> Call<C> decorate(Call<C> next) {
            throw new IllegalStateException("the thread-pool bulkhead '" + name
                    + "' cannot protect a synchronous method");
        }

        @Override
        public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
            return next;
        }
    }
}
