package dev.resilience.core;

/** The bulkhead had no room for the call within its maximum wait. */
public class BulkheadFullException extends ResilienceException {

    private static final long serialVersionUID = 1L;

    public BulkheadFullException(String name, String detail) {
        super(name, "Bulkhead '" + name + "' is full and does not permit further calls: " + detail);
    }
}
