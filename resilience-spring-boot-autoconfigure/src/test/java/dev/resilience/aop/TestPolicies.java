package dev.resilience.aop;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.resilience.core.Policy;

/**
 * Fake policies for interceptor tests: by default every kind is a {@link RecordingPolicy}; {@link #requested}
 * lists each lookup ({@code kind:name}) in the order the chains asked for them, {@link #log} what ran.
 */
final class TestPolicies {

    final List<String> log = new CopyOnWriteArrayList<>();

    final List<String> requested = new CopyOnWriteArrayList<>();

    private final Map<String, BiFunction<String, List<String>, Policy>> factories = new ConcurrentHashMap<>();

    TestPolicies with(String kind, BiFunction<String, List<String>, Policy> factory) {
        factories.put(kind, factory);
        return this;
    }

    ResiliencePolicies policies() {
        return ResiliencePolicies.builder()
                .instances(PolicyKind.CIRCUIT_BREAKER, name -> create("cb", name))
                .instances(PolicyKind.RETRY, name -> create("retry", name))
                .instances(PolicyKind.RATE_LIMITER, name -> create("rl", name))
                .instances(PolicyKind.TIMEOUT, name -> create("timeout", name))
                .instances(PolicyKind.BULKHEAD, name -> create("bulkhead", name))
                .build();
    }

    /** A runner with the post-processor registered; {@code proxyTargetClass} forces CGLIB proxies. */
    ApplicationContextRunner runner(boolean proxyTargetClass) {
        return new ApplicationContextRunner().withBean(ResilienceAnnotationBeanPostProcessor.class, () -> {
            ResilienceAnnotationBeanPostProcessor postProcessor =
                    new ResilienceAnnotationBeanPostProcessor(new ResilienceInterceptor(policies()));
            postProcessor.setProxyTargetClass(proxyTargetClass);
            return postProcessor;
        });
    }

    ApplicationContextRunner runner() {
        return runner(false);
    }

    private Policy create(String kind, String name) {
        requested.add(kind + ":" + name);
        return factories.getOrDefault(kind, (n, l) -> new RecordingPolicy(kind, n, l)).apply(name, log);
    }
}
