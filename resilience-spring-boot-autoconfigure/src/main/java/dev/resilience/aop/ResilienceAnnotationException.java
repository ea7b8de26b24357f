package dev.resilience.aop;

import java.lang.reflect.Method;

/**
 * The resilience annotations of a method cannot be applied (a thread-pool bulkhead on a synchronous method, a return
 * type no adapter supports, an instance that does not exist, conflicting attributes). Thrown when the bean is
 * proxied, so it fails the start; the message names the bean class, the method and why.
 */
public class ResilienceAnnotationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String methodDescription;
    private final String beanClassName;
    private final String reason;

    ResilienceAnnotationException(Class<?> beanClass, Method method, RuntimeException cause) {
        super("Cannot apply resilience annotations to " + Signatures.method(beanClass, method) + " of bean class "
                + beanClass.getName() + ": " + cause.getMessage(), cause);
        this.methodDescription = Signatures.method(beanClass, method);
        this.beanClassName = beanClass.getName();
        this.reason = cause.getMessage();
    }

    /** The method, as {@code SimpleClassName.method(ParameterTypes)}. */
    public String getMethodDescription() {
        return methodDescription;
    }

    public String getBeanClassName() {
        return beanClassName;
    }

    /** Why the annotations cannot be applied, without the method. */
    public String getReason() {
        return reason;
    }
}
