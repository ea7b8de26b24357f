package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import dev.resilience.core.retry.RetryConfig;

/**
 * Checked exceptions through both kinds of proxy, an interface-based JDK proxy ({@code false}) and a CGLIB class
 * proxy ({@code true}), with a real retry policy.
 *
 * <p>A checked exception that the method declares reaches the caller unchanged. One that it does not declare (thrown
 * "sneakily", as Lombok's {@code @SneakyThrows} or a rethrowing generic helper do) passes through our chain as itself
 * (the retry classifies the original, a fallback receives the original), but the proxy's own generated method then
 * wraps it in {@link UndeclaredThrowableException} before the caller sees it: the JDK's {@code java.lang.reflect.Proxy}
 * does so by specification, and Spring Framework 7's {@code CglibAopProxy} generates its classes with the same rule
 * ({@code UndeclaredThrowableStrategy}). The throws clause that counts is that of the method the proxy implements:
 * the interface method's for a JDK proxy, the bean class method's for a CGLIB proxy.
 */
class CheckedExceptionsTest {

    /** Synchronous retries never schedule anything. */
    private static final Scheduler NO_SCHEDULER = TestSchedulers.timer((task, delayNanos) -> {
        throw new AssertionError("a synchronous retry schedules nothing");
    });

    private final List<Throwable> thrown = new CopyOnWriteArrayList<>();

    private final List<Throwable> fallbackReceived = new CopyOnWriteArrayList<>();

    /** Real retries (the annotation of the same name is imported), waiting nothing between attempts. */
    private final TestPolicies policies = new TestPolicies().with("retry",
            (name, log) -> new dev.resilience.core.retry.Retry(name, retryConfig(name), NO_SCHEDULER, nanos -> {
            }, () -> 0.5));

    /** {@code retryIo} retries only IOException; {@code ignoreIo} retries everything but IOException. */
    private static RetryConfig retryConfig(String name) {
        RetryConfig.Builder builder = RetryConfig.builder().maxAttempts(3);
        return switch (name) {
            case "retryIo" -> builder.retryExceptions(List.of(IOException.class)).build();
            case "ignoreIo" -> builder.ignoreExceptions(List.of(IOException.class)).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private ApplicationContextRunner runner(boolean proxyTargetClass) {
        return policies.runner(proxyTargetClass)
                .withBean(Partner.class, () -> new PartnerImpl(thrown, fallbackReceived));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aDeclaredCheckedExceptionReachesTheCallerUnchangedAfterTheRetries(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);
            assertThat(AopUtils.isCglibProxy(partner)).isEqualTo(proxyTargetClass);

            Throwable caught = catchThrowable(partner::declared);

            assertThat(thrown).hasSize(3);
            assertThat(caught).isSameAs(thrown.get(2));
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUndeclaredCheckedExceptionReachesTheCallerWrappedInUndeclaredThrowableException(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);

            Throwable caught = catchThrowable(partner::undeclared);

            // the retry saw the IOException itself (its wrapper is not an IOException and would not be retried)...
            assertThat(thrown).hasSize(3).allSatisfy(failure -> assertThat(failure).isExactlyInstanceOf(IOException.class));
            // ...and the proxy wrapped the last one on its way out, the original instance as the cause
            assertThat(caught).isExactlyInstanceOf(UndeclaredThrowableException.class);
            assertThat(caught.getCause()).isSameAs(thrown.get(2));
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theRetryClassifiesTheOriginalOfAnUndeclaredCheckedException(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);

            Throwable caught = catchThrowable(partner::undeclaredIgnored);

            // IOException is ignored: one attempt (the wrapper, not being an IOException, would have been retried)
            assertThat(thrown).hasSize(1);
            assertThat(caught).isExactlyInstanceOf(UndeclaredThrowableException.class);
            assertThat(caught.getCause()).isSameAs(thrown.get(0));
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aFallbackReceivesTheOriginalOfAnUndeclaredCheckedException(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);

            assertThat(partner.undeclaredWithFallback()).isEqualTo("fallback for IOException");

            assertThat(thrown).hasSize(1);
            assertThat(fallbackReceived).singleElement().isSameAs(thrown.get(0));
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anUndeclaredCheckedExceptionThatTheFallbackRethrowsIsWrappedToo(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);

            assertThatThrownBy(partner::undeclaredNotForTheFallback)
                    .isExactlyInstanceOf(UndeclaredThrowableException.class)
                    .cause().isSameAs(thrown.get(0));
            // applyOn excludes IOException: the fallback did not run and the original propagated through the chain
            assertThat(fallbackReceived).isEmpty();
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void whatCountsIsTheThrowsClauseOfTheMethodTheProxyImplements(boolean proxyTargetClass) {
        runner(proxyTargetClass).run(context -> {
            Partner partner = context.getBean(Partner.class);

            Throwable caught = catchThrowable(partner::declaredOnTheInterfaceOnly);

            if (proxyTargetClass) {
                // a class proxy overrides the class's method, which does not declare IOException
                assertThat(caught).isExactlyInstanceOf(UndeclaredThrowableException.class);
                assertThat(caught.getCause()).isSameAs(thrown.get(0));
            }
            else {
                // an interface proxy implements the interface's method, which does
                assertThat(caught).isSameAs(thrown.get(0));
            }
        });
    }

    interface Partner {

        String declared() throws IOException;

        String declaredOnTheInterfaceOnly() throws IOException;

        String undeclared();

        String undeclaredIgnored();

        String undeclaredWithFallback();

        String undeclaredNotForTheFallback();
    }

    static class PartnerImpl implements Partner {

        private final List<Throwable> thrown;

        private final List<Throwable> fallbackReceived;

        PartnerImpl(List<Throwable> thrown, List<Throwable> fallbackReceived) {
            this.thrown = thrown;
            this.fallbackReceived = fallbackReceived;
        }

        @Override
        @Retry("retryIo")
        public String declared() throws IOException {
            IOException failure = new IOException("declared");
            thrown.add(failure);
            throw failure;
        }

        @Override
        @Retry("ignoreIo")
        public String declaredOnTheInterfaceOnly() {
            throw sneaky(new IOException("declared on the interface only"));
        }

        @Override
        @Retry("retryIo")
        public String undeclared() {
            throw sneaky(new IOException("undeclared"));
        }

        @Override
        @Retry("ignoreIo")
        public String undeclaredIgnored() {
            throw sneaky(new IOException("undeclared, ignored by the retry"));
        }

        @Override
        @Fallback("fallback")
        public String undeclaredWithFallback() {
            throw sneaky(new IOException("undeclared, for the fallback"));
        }

        @Override
        @Fallback(method = "fallback", applyOn = RuntimeException.class)
        public String undeclaredNotForTheFallback() {
            throw sneaky(new IOException("undeclared, not for the fallback"));
        }

        String fallback(IOException failure) {
            fallbackReceived.add(failure);
            return "fallback for IOException";
        }

        String fallback(Throwable failure) {
            fallbackReceived.add(failure);
            return "fallback for " + failure.getClass().getSimpleName();
        }

        /** Throws a checked exception past the compiler, as Lombok's {@code @SneakyThrows} does. */
        private RuntimeException sneaky(IOException failure) {
            thrown.add(failure);
            return PartnerImpl.<RuntimeException>throwAs(failure);
        }

        @SuppressWarnings("unchecked")
        private static <T extends Throwable> RuntimeException throwAs(Throwable failure) throws T {
            throw (T) failure;
        }
    }
}
