package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aop.support.AopUtils;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Retry;
import dev.resilience.annotation.Timeout;

/** Annotations on interfaces, with JDK proxies ({@code false}) and CGLIB proxies ({@code true}). */
class ProxyKindsTest {

    private static final IOException CHECKED = new IOException("checked");

    private static final IllegalStateException UNCHECKED = new IllegalStateException("unchecked");

    private final TestPolicies policies = new TestPolicies();

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void interfaceMethodAnnotationsApplyToTheImplementation(boolean proxyTargetClass) {
        policies.runner(proxyTargetClass).withBean(Greeter.class, () -> new GreeterImpl(policies.log)).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(AopUtils.isJdkDynamicProxy(greeter)).isEqualTo(!proxyTargetClass);
            assertThat(AopUtils.isCglibProxy(greeter)).isEqualTo(proxyTargetClass);
            assertThat(policies.requested).containsExactlyInAnyOrder("cb:GreeterImpl.greet",
                    "retry:GreeterImpl.touch", "bulkhead:counter", "cb:GreeterImpl.fail");

            assertThat(greeter.greet("Ada")).isEqualTo("Hello Ada");

            assertThat(policies.log).containsExactly("cb:GreeterImpl.greet>", "greet", "<cb:GreeterImpl.greet");
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void voidAndPrimitiveReturnsAndUnannotatedMethods(boolean proxyTargetClass) {
        policies.runner(proxyTargetClass).withBean(Greeter.class, () -> new GreeterImpl(policies.log)).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);

            greeter.touch();
            assertThat(greeter.count()).isEqualTo(42);
            assertThat(greeter.flag()).isTrue();

            assertThat(policies.log).containsExactly("retry:GreeterImpl.touch>", "touch", "<retry:GreeterImpl.touch",
                    "bulkhead:counter>", "count", "<bulkhead:counter", "flag");
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theMethodsOwnExceptionReachesTheCallerUnchanged(boolean proxyTargetClass) {
        policies.runner(proxyTargetClass).withBean(Greeter.class, () -> new GreeterImpl(policies.log)).run(context -> {
            Greeter greeter = context.getBean(Greeter.class);

            assertThatThrownBy(() -> greeter.fail(true)).isSameAs(CHECKED);
            assertThatThrownBy(() -> greeter.fail(false)).isSameAs(UNCHECKED);
            assertThat(policies.log).containsExactly("cb:GreeterImpl.fail>", "<cb:GreeterImpl.fail",
                    "cb:GreeterImpl.fail>", "<cb:GreeterImpl.fail");
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void typeLevelAnnotationOnAnInterfaceAppliesToPublicMethodsButNotToObjectMethods(boolean proxyTargetClass) {
        policies.runner(proxyTargetClass).withBean(Clock.class, () -> new ClockImpl(policies.log)).run(context -> {
            Clock clock = context.getBean(Clock.class);

            assertThat(clock.now()).isEqualTo("noon");
            assertThat(clock.toString()).isEqualTo("a clock");

            assertThat(policies.log).containsExactly("timeout:ClockImpl.now>", "now", "<timeout:ClockImpl.now",
                    "toString");
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oneInterfaceMethodOnTwoBeanClassesGetsEachClassesChain(boolean proxyTargetClass) {
        policies.runner(proxyTargetClass)
                .withBean("a", Pinger.class, () -> new PingerA(policies.log))
                .withBean("b", Pinger.class, () -> new PingerB(policies.log))
                .run(context -> {
                    Pinger a = context.getBean("a", Pinger.class);
                    Pinger b = context.getBean("b", Pinger.class);

                    a.ping();
                    b.ping();
                    a.ping();

                    assertThat(policies.log).containsExactly("cb:PingerA.ping>", "A", "<cb:PingerA.ping",
                            "retry:PingerB.ping>", "B", "<retry:PingerB.ping",
                            "cb:PingerA.ping>", "A", "<cb:PingerA.ping");
                });
    }

    interface Greeter {

        @CircuitBreaker
        String greet(String name);

        @Retry
        void touch();

        @Bulkhead("counter")
        int count();

        boolean flag();

        @CircuitBreaker
        String fail(boolean checked) throws IOException;
    }

    static class GreeterImpl implements Greeter {

        private final List<String> log;

        GreeterImpl(List<String> log) {
            this.log = log;
        }

        @Override
        public String greet(String name) {
            log.add("greet");
            return "Hello " + name;
        }

        @Override
        public void touch() {
            log.add("touch");
        }

        @Override
        public int count() {
            log.add("count");
            return 42;
        }

        @Override
        public boolean flag() {
            log.add("flag");
            return true;
        }

        @Override
        public String fail(boolean checked) throws IOException {
            if (checked) {
                throw CHECKED;
            }
            throw UNCHECKED;
        }
    }

    @Timeout
    interface Clock {

        String now();
    }

    static class ClockImpl implements Clock {

        private final List<String> log;

        ClockImpl(List<String> log) {
            this.log = log;
        }

        @Override
        public String now() {
            log.add("now");
            return "noon";
        }

        @Override
        public String toString() {
            log.add("toString");
            return "a clock";
        }
    }

    interface Pinger {

        void ping();
    }

    @CircuitBreaker
    static class PingerA implements Pinger {

        private final List<String> log;

        PingerA(List<String> log) {
            this.log = log;
        }

        @Override
        public void ping() {
            log.add("A");
        }
    }

    @Retry
    static class PingerB implements Pinger {

        private final List<String> log;

        PingerB(List<String> log) {
            this.log = log;
        }

        @Override
        public void ping() {
            log.add("B");
        }
    }
}
