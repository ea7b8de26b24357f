package dev.resilience.core;

/**
 * Base of the exceptions that the policies themselves raise. Each names the instance that raised it.
 * They signal control flow (a rejection, an expired deadline), not bugs, so they are built without
 * a stack trace.
 */
public class ResilienceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String name;

    public ResilienceException(String name, String message) {
        super(message, null, false, false);
        this.name = name;
    }

    /** The name of the policy instance that raised this exception. */
    public String getName() {
        return name;
    }
}
