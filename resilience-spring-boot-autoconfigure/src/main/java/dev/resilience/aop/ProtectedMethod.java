package dev.resilience.aop;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ChainDecorator} learns about the chain it wraps: the annotated method, the bean class, and the
 * policy instances of the chain.
 *
 * @param beanClass   the user class of the bean (never a CGLIB class)
 * @param method      the annotated method
 * @param instances   the instance name of each named policy kind in the chain, outermost first, keyed by
 *                    {@link PolicyKind#key()}: {@code retry}, {@code ratelimiter}, {@code circuitbreaker},
 *                    {@code timeout}, {@code bulkhead}
 * @param hasFallback whether the chain ends in a fallback method
 */
public record ProtectedMethod(Class<?> beanClass, Method method, Map<String, String> instances, boolean hasFallback) {

    public ProtectedMethod {
        Objects.requireNonNull(beanClass, "beanClass");
        Objects.requireNonNull(method, "method");
        instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    }

    /** {@code SimpleClassName.methodName}, the default instance name of the method. */
    public String shortName() {
        return beanClass.getSimpleName() + "." + method.getName();
    }
}
