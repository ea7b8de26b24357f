package dev.resilience.aop;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aop.framework.ReflectiveMethodInvocation;

/**
 * What the interceptor reaches by reflection whatever the beans it protects: the two private fields of Spring's
 * {@link ReflectiveMethodInvocation} through which {@link RewindableInvocation} winds an invocation back for the
 * next retry attempt. Without them a native image still works, copying the invocation for every attempt.
 * Registered in {@code META-INF/spring/aot.factories}; the members of the protected beans themselves are
 * registered per bean by {@link ResilienceBeanRegistrationAotProcessor}.
 */
class ResilienceRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.reflection().registerType(ReflectiveMethodInvocation.class, type -> type
                .withField(RewindableInvocation.INDEX_FIELD)
                .withField(RewindableInvocation.INTERCEPTORS_FIELD));
    }
}
