package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;

class ChainOrderTest {

    private final TestPolicies policies = new TestPolicies();

    @Test
    void allFiveNestInContractOrderWithFallbackOutermost() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            AllFive bean = context.getBean(AllFive.class);
            assertThat(AopUtils.isCglibProxy(bean)).isTrue();

            assertThat(bean.call("x")).isEqualTo("recovered x after boom");

            assertThat(policies.log).containsExactly("retry:AllFive.call>", "cb:AllFive.call>",
                    "timeout:AllFive.call>", "bulkhead:AllFive.call>", "method", "<bulkhead:AllFive.call",
                    "<timeout:AllFive.call", "<cb:AllFive.call", "<retry:AllFive.call", "fallback");
        });
    }

    @Test
    void allFiveNestInContractOrderForAnAsyncMethod() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            CompletableFuture<String> result = context.getBean(AllFive.class).callAsync("y");

            assertThat(result).isCompletedWithValue("recovered async y after async boom");
            assertThat(policies.log).containsExactly("retry:r>", "cb:c>", "timeout:t>", "bulkhead:b>", "method",
                    "<bulkhead:b", "<timeout:t", "<cb:c", "<retry:r", "fallback");
        });
    }

    @Test
    void chainsAreBuiltWhenTheBeanIsProxiedWithDefaultedAndExplicitNames() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            assertThat(context).hasNotFailed();
            // built inside out, before any call
            assertThat(policies.requested).containsExactlyInAnyOrder(
                    "bulkhead:AllFive.call", "timeout:AllFive.call", "cb:AllFive.call", "retry:AllFive.call",
                    "bulkhead:b", "timeout:t", "cb:c", "retry:r",
                    "cb:shared", "cb:shared", "bulkhead:AllFive.nonPublic");
            assertThat(policies.log).isEmpty();
        });
    }

    @Test
    void methodsWithTheSameNameAskForTheSameInstanceName() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            AllFive bean = context.getBean(AllFive.class);
            bean.first();
            bean.second();

            assertThat(policies.log).containsExactly("cb:shared>", "first", "<cb:shared", "cb:shared>", "second",
                    "<cb:shared");
        });
    }

    @Test
    void unannotatedMethodsOfAProxiedBeanRunPlain() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            assertThat(context.getBean(AllFive.class).plain()).isEqualTo("plain");
            assertThat(policies.log).containsExactly("plain");
        });
    }

    @Test
    void methodLevelAnnotationOnANonPublicMethodApplies() {
        policies.runner().withBean(AllFive.class, () -> new AllFive(policies.log)).run(context -> {
            assertThat(context.getBean(AllFive.class).nonPublic()).isEqualTo("nonPublic");
            assertThat(policies.log).containsExactly("bulkhead:AllFive.nonPublic>", "nonPublic",
                    "<bulkhead:AllFive.nonPublic");
        });
    }

    @Test
    void typeLevelAnnotationsApplyToEveryPublicMethodAndMethodLevelWins() {
        policies.runner().withBean(TypeLevel.class, () -> new TypeLevel(policies.log)).run(context -> {
            assertThat(policies.requested).containsExactlyInAnyOrder("cb:TypeLevel.a", "retry:typeRetry",
                    "cb:TypeLevel.b", "retry:typeRetry", "cb:special", "retry:typeRetry");
            TypeLevel bean = context.getBean(TypeLevel.class);

            bean.a();
            bean.c();

            assertThat(policies.log).containsExactly("retry:typeRetry>", "cb:TypeLevel.a>", "a", "<cb:TypeLevel.a",
                    "<retry:typeRetry", "retry:typeRetry>", "cb:special>", "c", "<cb:special", "<retry:typeRetry");
        });
    }

    @Test
    void typeLevelAnnotationsSkipNonPublicAndObjectMethods() {
        policies.runner().withBean(TypeLevel.class, () -> new TypeLevel(policies.log)).run(context -> {
            TypeLevel bean = context.getBean(TypeLevel.class);

            bean.packageVisible();
            assertThat(bean.toString()).isEqualTo("TypeLevel!");

            assertThat(policies.log).containsExactly("packageVisible", "toString");
        });
    }

    @Test
    void metaAnnotationsAreFound() {
        policies.runner().withBean(MetaAnnotated.class, () -> new MetaAnnotated(policies.log)).run(context -> {
            context.getBean(MetaAnnotated.class).call();

            assertThat(policies.log).containsExactly("cb:backend>", "bulkhead:MetaAnnotated.call>", "call",
                    "<bulkhead:MetaAnnotated.call", "<cb:backend");
        });
    }

    @Test
    void inheritedAnnotatedMethodIsNamedAfterTheBeanClass() {
        policies.runner().withBean(Child.class, () -> new Child(policies.log)).run(context -> {
            context.getBean(Child.class).inherited();

            assertThat(policies.requested).containsExactly("cb:Child.inherited");
            assertThat(policies.log).containsExactly("cb:Child.inherited>", "inherited", "<cb:Child.inherited");
        });
    }

    static class AllFive {

        private final List<String> log;

        AllFive(List<String> log) {
            this.log = log;
        }

        @Fallback("recover")
        @Retry
        @CircuitBreaker
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

        // the order of the annotations in the source does not matter
        @Bulkhead("b")
        @Timeout(name = "t")
        @CircuitBreaker("c")
        @Retry("r")
        @Fallback(method = "recoverAsync")
        public CompletableFuture<String> callAsync(String in) {
            log.add("method");
            return CompletableFuture.failedFuture(new IllegalStateException("async boom"));
        }

        CompletableFuture<String> recoverAsync(String in, Throwable failure) {
            log.add("fallback");
            return CompletableFuture.completedFuture("recovered async " + in + " after " + failure.getMessage());
        }

        @CircuitBreaker("shared")
        public String first() {
            log.add("first");
            return "first";
        }

        @CircuitBreaker(name = "shared")
        public String second() {
            log.add("second");
            return "second";
        }

        public String plain() {
            log.add("plain");
            return "plain";
        }

        @Bulkhead
        protected String nonPublic() {
            log.add("nonPublic");
            return "nonPublic";
        }
    }

    @CircuitBreaker
    @Retry("typeRetry")
    static class TypeLevel {

        private final List<String> log;

        TypeLevel(List<String> log) {
            this.log = log;
        }

        public String a() {
            log.add("a");
            return "a";
        }

        public String b() {
            log.add("b");
            return "b";
        }

        @CircuitBreaker("special")
        public String c() {
            log.add("c");
            return "c";
        }

        String packageVisible() {
            log.add("packageVisible");
            return "packageVisible";
        }

        @Override
        public String toString() {
            log.add("toString");
            return "TypeLevel!";
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    @CircuitBreaker("backend")
    @Bulkhead
    @interface BackendCall {
    }

    static class MetaAnnotated {

        private final List<String> log;

        MetaAnnotated(List<String> log) {
            this.log = log;
        }

        @BackendCall
        public void call() {
            log.add("call");
        }
    }

    static class Parent {

        final List<String> log;

        Parent(List<String> log) {
            this.log = log;
        }

        @CircuitBreaker
        public void inherited() {
            log.add("inherited");
        }
    }

    static class Child extends Parent {

        Child(List<String> log) {
            super(log);
        }
    }
}
