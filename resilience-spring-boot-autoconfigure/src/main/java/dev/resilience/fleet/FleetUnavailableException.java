package dev.resilience.fleet;

/**
 * Redis did not answer a fleet command in time, or is known to be unreachable: the caller goes on with its local
 * state. Without a stack trace (it is a decision, not a bug), and shared where it carries no detail, so that an outage
 * allocates nothing per refused command.
 */
public final class FleetUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Redis is known to be unreachable: the command was not sent. */
    static final FleetUnavailableException NOT_SENT = new FleetUnavailableException("Redis is unreachable: "
            + "the fleet command was not sent", null);

    FleetUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
