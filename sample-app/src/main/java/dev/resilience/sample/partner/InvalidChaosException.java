package dev.resilience.sample.partner;

/** A chaos request that cannot be applied; the message says why and is returned to the client. */
public class InvalidChaosException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidChaosException(String reason) {
        super(reason);
    }
}
