package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.Advised;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

import dev.resilience.annotation.Retry;

/**
 * Each retry attempt proceeds on a fresh copy of the invocation, so advice that lies inside ours (an aspect here,
 * a transaction in real life) runs once per attempt.
 */
class RetryAttemptsTest {

    private final TestPolicies policies = new TestPolicies()
            .with("retry", (name, log) -> new RetryingPolicy(name, 3, log));

    // the proxy has fields of its own: read the state from the target
    private final Flaky target = new Flaky(policies.log);

    private final CountingAspect aspect = new CountingAspect(policies.log);

    private ApplicationContextRunner runner() {
        return policies.runner().withUserConfiguration(AspectConfig.class)
                .withBean(CountingAspect.class, () -> aspect)
                .withBean(Flaky.class, () -> target);
    }

    @Test
    void ourAdvisorIsAddedBeforeTheAspectsOfAnExistingProxy() {
        runner().run(context -> {
            Advised proxy = (Advised) context.getBean(Flaky.class);
            ResilienceAnnotationBeanPostProcessor postProcessor =
                    context.getBean(ResilienceAnnotationBeanPostProcessor.class);

            assertThat(proxy.getAdvisors()).hasSizeGreaterThan(1);
            assertThat(proxy.getAdvisors()[0]).isSameAs(postProcessor.getAdvisor());
        });
    }

    @Test
    void eachSyncAttemptRunsTheInnerAdviceAndTheMethodAgain() {
        runner().run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            assertThat(flaky.succeedsOnThirdAttempt()).isEqualTo("ok after 3");

            assertThat(target.calls).hasValue(3);
            assertThat(aspect.count).hasValue(3);
            assertThat(policies.log).containsExactly("retry:Flaky.succeedsOnThirdAttempt>1", "aspect", "method",
                    "retry:Flaky.succeedsOnThirdAttempt>2", "aspect", "method",
                    "retry:Flaky.succeedsOnThirdAttempt>3", "aspect", "method");
        });
    }

    @Test
    void exhaustedRetriesRethrowTheLastCheckedExceptionOfTheMethodUnchanged() {
        runner().run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            assertThatThrownBy(flaky::alwaysFails).isSameAs(target.lastThrown.get());

            assertThat(target.lastThrown.get()).isInstanceOf(IOException.class).hasMessage("attempt 3");
            assertThat(aspect.count).hasValue(3);
        });
    }

    @Test
    void eachAsyncAttemptRunsTheInnerAdviceAndTheMethodAgain() {
        runner().run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            CompletableFuture<String> result = flaky.succeedsAsyncOnThirdAttempt();

            assertThat(result).isCompletedWithValue("async ok after 3");
            assertThat(target.calls).hasValue(3);
            assertThat(aspect.count).hasValue(3);
        });
    }

    @Test
    void asyncAttemptsThatThrowSynchronouslyAreRetriedToo() {
        runner().run(context -> {
            Flaky flaky = context.getBean(Flaky.class);

            CompletableFuture<String> result = flaky.asyncAlwaysThrows();

            assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class).cause()
                    .isSameAs(target.lastThrown.get()).hasMessage("attempt 3");
            assertThat(aspect.count).hasValue(3);
        });
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface CountedByAspect {
    }

    @Aspect
    static class CountingAspect {

        final AtomicInteger count = new AtomicInteger();

        private final List<String> log;

        CountingAspect(List<String> log) {
            this.log = log;
        }

        @Around("@annotation(dev.resilience.aop.RetryAttemptsTest.CountedByAspect)")
        public Object count(ProceedingJoinPoint joinPoint) throws Throwable {
            count.incrementAndGet();
            log.add("aspect");
            return joinPoint.proceed();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy(proxyTargetClass = true)
    static class AspectConfig {
    }

    static class Flaky {

        final AtomicInteger calls = new AtomicInteger();

        final AtomicReference<Exception> lastThrown = new AtomicReference<>();

        final List<String> log;

        Flaky(List<String> log) {
            this.log = log;
        }

        @Retry
        @CountedByAspect
        public String succeedsOnThirdAttempt() {
            log.add("method");
            int call = calls.incrementAndGet();
            if (call < 3) {
                throw new IllegalStateException("attempt " + call);
            }
            return "ok after " + call;
        }

        @Retry
        @CountedByAspect
        public String alwaysFails() throws IOException {
            IOException failure = new IOException("attempt " + calls.incrementAndGet());
            lastThrown.set(failure);
            throw failure;
        }

        @Retry
        @CountedByAspect
        public CompletableFuture<String> succeedsAsyncOnThirdAttempt() {
            int call = calls.incrementAndGet();
            if (call < 3) {
                return CompletableFuture.failedFuture(new IllegalStateException("attempt " + call));
            }
            return CompletableFuture.completedFuture("async ok after " + call);
        }

        @Retry
        @CountedByAspect
        public CompletableFuture<String> asyncAlwaysThrows() {
            IllegalStateException failure = new IllegalStateException("attempt " + calls.incrementAndGet());
            lastThrown.set(failure);
            throw failure;
        }
    }
}
