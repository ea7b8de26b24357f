package dev.resilience.aop;

import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RewindableInvocationTest {

    interface Greeter {
        String greet(String name);
    }

    @Test
    void reachesSpringsInvocationFieldsOnThisClassPath() {
        // if a Spring upgrade renames them, retries silently fall back to copying: this makes it loud
        assertThat(RewindableInvocation.rewinds()).isTrue();
    }

    @Test
    void everyAttemptRunsTheAdviceInsideAgainWithTheOriginalArguments() {
        List<String> seen = new ArrayList<>();
        MethodInterceptor threeAttempts = new MethodInterceptor() {
            @Override
            public Object invoke(org.aopalliance.intercept.MethodInvocation invocation) throws Throwable {
                Object last = null;
                for (int attempt = 0; attempt < 3; attempt++) {
                    last = RewindableInvocation.proceedAgain(invocation, this);
                }
                return last;
            }
        };
        MethodInterceptor inner = invocation -> {
            seen.add("inner:" + invocation.getArguments()[0]);
            return invocation.proceed();
        };
        Greeter target = name -> {
            seen.add("target:" + name);
            return "hello " + name;
        };
        for (boolean classProxy : new boolean[] {false, true}) {
            seen.clear();
            ProxyFactory factory = new ProxyFactory(target);
            factory.addInterface(Greeter.class);
            factory.setProxyTargetClass(classProxy);
            MethodInterceptor outer = invocation -> invocation.proceed();
            factory.addAdvice(outer);
            factory.addAdvice(threeAttempts);
            factory.addAdvice(inner);
            Greeter proxy = (Greeter) factory.getProxy();

            assertThat(proxy.greet("ada")).isEqualTo("hello ada");
            assertThat(seen).containsExactly("inner:ada", "target:ada", "inner:ada", "target:ada",
                    "inner:ada", "target:ada");
        }
    }
}
