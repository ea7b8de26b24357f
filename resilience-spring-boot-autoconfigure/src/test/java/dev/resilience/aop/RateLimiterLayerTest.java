package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ReflectionUtils;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.RateLimiter;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.ratelimiter.LocalRateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;

/** The rate limiter's place in the chain, and its key: a SpEL expression over the parameters. */
class RateLimiterLayerTest {

    private final TestPolicies policies = new TestPolicies();
    private final ManualTicker ticker = new ManualTicker();

    private final Map<String, LocalRateLimiter> rateLimiters = new ConcurrentHashMap<>();

    /** Every rate limiter a real one, one per name: one permit a minute, no waiting. */
    private TestPolicies realRateLimiters() {
        return policies.with("rl", (name, log) -> rateLimiters.computeIfAbsent(name, created -> new LocalRateLimiter(
                created, RateLimiterConfig.builder().limitForPeriod(1).limitRefreshPeriod(Duration.ofMinutes(1))
                        .timeoutDuration(Duration.ZERO).build(), ticker, new ManualScheduler(ticker))));
    }

    @Test
    void theRateLimiterSitsBetweenRetryAndCircuitBreaker() {
        policies.runner().withBean(AllSix.class, () -> new AllSix(policies.log)).run(context -> {
            assertThat(context.getBean(AllSix.class).call("x")).isEqualTo("recovered x after boom");

            assertThat(policies.log).containsExactly("retry:AllSix.call>", "rl:AllSix.call>", "cb:AllSix.call>",
                    "timeout:AllSix.call>", "bulkhead:AllSix.call>", "method", "<bulkhead:AllSix.call",
                    "<timeout:AllSix.call", "<cb:AllSix.call", "<rl:AllSix.call", "<retry:AllSix.call", "fallback");
        });
    }

    @Test
    void theRateLimiterSitsBetweenRetryAndCircuitBreakerForAnAsyncMethod() {
        policies.runner().withBean(AllSix.class, () -> new AllSix(policies.log)).run(context -> {
            assertThat(context.getBean(AllSix.class).callAsync("y")).isCompletedWithValue("y");

            assertThat(policies.log).containsExactly("retry:r>", "rl:l>", "cb:c>", "timeout:t>", "bulkhead:b>",
                    "method", "<bulkhead:b", "<timeout:t", "<cb:c", "<rl:l", "<retry:r");
        });
    }

    @Test
    void eachValueOfTheKeyHasItsOwnLimit() {
        realRateLimiters().runner().withBean(Keyed.class, Keyed::new).run(context -> {
            Keyed bean = context.getBean(Keyed.class);

            assertThat(bean.byName("alice", 1)).isEqualTo("alice");
            assertThatThrownBy(() -> bean.byName("alice", 2)).isInstanceOf(RateLimitExceededException.class)
                    .hasMessageContaining("'customers'");
            assertThat(bean.byName("bob", 1)).isEqualTo("bob");
            // #p0 and #a0 name the same parameter, and the method with them shares the instance 'customers'
            assertThatThrownBy(() -> bean.byPosition("bob")).isInstanceOf(RateLimitExceededException.class);
            assertThat(bean.byPosition("carol")).isEqualTo("carol");
            assertThatThrownBy(() -> bean.byAlias("carol")).isInstanceOf(RateLimitExceededException.class);
        });
    }

    @Test
    void theKeyMayNavigateAndCombineParameters() {
        realRateLimiters().runner().withBean(Keyed.class, Keyed::new).run(context -> {
            Keyed bean = context.getBean(Keyed.class);

            assertThat(bean.byProperty(new Order("eu", "alice"))).isEqualTo("eu:alice");
            assertThat(bean.byProperty(new Order("us", "alice"))).isEqualTo("us:alice");
            assertThatThrownBy(() -> bean.byProperty(new Order("eu", "alice")))
                    .isInstanceOf(RateLimitExceededException.class);
        });
    }

    @Test
    void aNullKeyTakesThePermitOfTheInstancesOwnLimitSharedWithTheCallsWithoutAKey() {
        realRateLimiters().runner().withBean(Keyed.class, Keyed::new).run(context -> {
            Keyed bean = context.getBean(Keyed.class);

            assertThat(bean.byName(null, 1)).isNull();
            assertThatThrownBy(() -> bean.byName(null, 2)).isInstanceOf(RateLimitExceededException.class);
            assertThatThrownBy(bean::withoutKey).isInstanceOf(RateLimitExceededException.class);
            assertThat(bean.byName("dave", 1)).isEqualTo("dave");
        });
    }

    @Test
    void aKeyThatCannotBeEvaluatedFailsTheCallBeforeTheMethodRuns() {
        realRateLimiters().runner().withBean(Keyed.class, Keyed::new).run(context -> {
            Keyed bean = context.getBean(Keyed.class);

            assertThatThrownBy(() -> bean.byProperty(null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("The rate limiter key '#order.region + ':' + #order.customer' of "
                            + "Keyed.byProperty(Order) could not be evaluated: EL1007E");
            assertThat(bean.calls()).isZero();
        });
    }

    @Test
    void anAsyncKeyedRefusalIsAFailedFuture() {
        realRateLimiters().runner().withBean(Keyed.class, Keyed::new).run(context -> {
            Keyed bean = context.getBean(Keyed.class);

            assertThat(bean.async("alice")).isCompletedWithValue("alice");
            CompletableFuture<String> refused = bean.async("alice");

            assertThat(refused).isCompletedExceptionally();
            assertThatThrownBy(refused::join).cause().isInstanceOf(RateLimitExceededException.class);
            assertThat(bean.async("bob")).isCompletedWithValue("bob");
        });
    }

    @Test
    void aKeyNeedsARateLimiterThatLimitsByKey() {
        policies.runner().withBean(Keyed.class, Keyed::new).run(context -> assertStartFailure(context,
                "is a dev.resilience.aop.RecordingPolicy, which cannot limit by key; @RateLimiter(key = ...) needs a "
                        + "dev.resilience.core.ratelimiter.RateLimiter"));
    }

    @Test
    void aKeyThatIsNoValidExpressionFailsTheStart() {
        realRateLimiters().runner().withBean(BadSyntax.class, BadSyntax::new).run(context -> assertStartFailure(
                context, "Cannot apply resilience annotations to BadSyntax.call(String) of bean class "
                        + "dev.resilience.aop.RateLimiterLayerTest$BadSyntax: the key '#customer +' of @RateLimiter "
                        + "is not a valid SpEL expression: "));
    }

    @Test
    void aKeyThatNamesNoParameterFailsTheStartListingThoseThatExist() {
        realRateLimiters().runner().withBean(Misspelt.class, Misspelt::new).run(context -> assertStartFailure(
                context, "the key '#customerld' of @RateLimiter names #customerld, which is no parameter of the "
                        + "method; it can use #customerId, #region, #a0, #a1, #p0, #p1"));
    }

    @Test
    void aKeyWithoutTheHashReadsNoRootObjectAndFailsTheStart() {
        realRateLimiters().runner().withBean(Bare.class, Bare::new).run(context -> assertStartFailure(context,
                "the key 'customerId.length()' of @RateLimiter reads 'customerId' of a root object, and there is "
                        + "none: a parameter is a variable, written with '#' (#customerId)"));
    }

    @Test
    void aKeyThatCallsAFunctionFailsTheStart() {
        realRateLimiters().runner().withBean(Function.class, Function::new).run(context -> assertStartFailure(context,
                "the key '#hash(#customerId)' of @RateLimiter calls the function #hash(#customerId)"));
    }

    @Test
    void theExpressionIsCompiledOnceItHasRunAFewTimes() throws Exception {
        Method method = Keyed.class.getMethod("byName", String.class, int.class);
        KeyExpression key = KeyExpression.parse("#customerId + '/' + #a0", method);

        for (int i = 0; i < 150; i++) {
            assertThat(key.apply(invocation(method, "c" + i, i))).isEqualTo("c" + i + "/c" + i);
        }

        Object expression = ReflectionTestUtils.getField(key, "expression");
        assertThat(ReflectionTestUtils.getField(expression, "compiledAst")).as("compiled").isNotNull();
        assertThat(key.apply(invocation(method, "d", 7))).isEqualTo("d/d");
    }

    @Test
    void anExpressionSpelCannotCompileKeepsBeingInterpreted() throws Exception {
        Method method = Keyed.class.getMethod("byName", String.class, int.class);
        KeyExpression key = KeyExpression.parse("#customerId + '/' + #attempt", method);

        for (int i = 0; i < 150; i++) {
            assertThat(key.apply(invocation(method, "c", i))).isEqualTo("c/" + i);
        }
    }

    private static MethodInvocation invocation(Method method, Object... arguments) {
        return new MethodInvocation() {
            @Override
            public Method getMethod() {
                return method;
            }

            @Override
            public Object[] getArguments() {
                return arguments;
            }

            @Override
            public Object proceed() {
                return ReflectionUtils.invokeMethod(method, null, arguments);
            }

            @Override
            public Object getThis() {
                return null;
            }

            @Override
            public java.lang.reflect.AccessibleObject getStaticPart() {
                return method;
            }
        };
    }

    private static void assertStartFailure(AssertableApplicationContext context, String message) {
        assertThat(context).hasFailed();
        Throwable failure = context.getStartupFailure();
        while (failure != null && !(failure instanceof ResilienceAnnotationException)) {
            failure = failure.getCause();
        }
        assertThat(failure).as("a ResilienceAnnotationException in %s", context.getStartupFailure()).isNotNull();
        assertThat(failure.getMessage()).contains(message);
    }

    record Order(String region, String customer) {
    }

    static class AllSix {

        private final List<String> log;

        AllSix(List<String> log) {
            this.log = log;
        }

        @Fallback("recover")
        @Retry
        @CircuitBreaker
        @RateLimiter
        @Timeout
        @Bulkhead
        public String call(String in) {
            log.add("method");
            throw new IllegalStateException("boom");
        }

        String recover(String in, Throwable failure) {
            log.add("fallback");
            return "recovered " + in + " after " + failure.getMessage();
        }

        @Bulkhead("b")
        @Timeout("t")
        @CircuitBreaker("c")
        @RateLimiter("l")
        @Retry("r")
        public CompletableFuture<String> callAsync(String in) {
            log.add("method");
            return CompletableFuture.completedFuture(in);
        }
    }

    static class Keyed {

        private int calls;

        /** Through the proxy: its own fields are not the bean's. */
        public int calls() {
            return calls;
        }

        @RateLimiter(name = "customers", key = "#customerId")
        public String byName(String customerId, int attempt) {
            calls++;
            return customerId;
        }

        @RateLimiter(name = "customers", key = "#p0")
        public String byPosition(String customerId) {
            calls++;
            return customerId;
        }

        @RateLimiter(name = "customers", key = "#a0")
        public String byAlias(String customerId) {
            calls++;
            return customerId;
        }

        @RateLimiter(name = "orders", key = "#order.region + ':' + #order.customer")
        public String byProperty(Order order) {
            calls++;
            return order.region() + ":" + order.customer();
        }

        @RateLimiter(name = "customers")
        public String withoutKey() {
            calls++;
            return "none";
        }

        @RateLimiter(name = "async", key = "#customerId")
        public CompletableFuture<String> async(String customerId) {
            return CompletableFuture.completedFuture(customerId);
        }
    }

    static class BadSyntax {

        @RateLimiter(key = "#customer +")
        public String call(String customer) {
            return customer;
        }
    }

    static class Misspelt {

        @RateLimiter(key = "#customerld")
        public String call(String customerId, String region) {
            return customerId;
        }
    }

    static class Bare {

        @RateLimiter(key = "customerId.length()")
        public String call(String customerId) {
            return customerId;
        }
    }

    static class Function {

        @RateLimiter(key = "#hash(#customerId)")
        public String call(String customerId) {
            return customerId;
        }
    }
}
