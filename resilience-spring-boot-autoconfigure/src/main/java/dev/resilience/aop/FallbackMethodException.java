package dev.resilience.aop;

/**
 * A {@link dev.resilience.annotation.Fallback @Fallback} that names no usable method: missing, empty, or with a
 * signature that does not match the protected method. Thrown when the bean is proxied, so it fails the start; the
 * message names the bean class, the protected method, the fallback name, the expected signature and, when a
 * method of that name exists, what was found.
 */
public class FallbackMethodException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public FallbackMethodException(String message) {
        super(message);
    }
}
