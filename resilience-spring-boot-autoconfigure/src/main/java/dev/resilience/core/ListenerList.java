package dev.resilience.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * The listeners of one policy instance. Adding copies the array (listeners are added at start-up, calls
 * notify them millions of times), so that notifying walks a plain array without a lock or an iterator.
 *
 * <p>A listener can never change the outcome of a call or the state of its policy: whatever it throws is
 * logged and the next listener is told all the same. Only a {@link VirtualMachineError} propagates, once
 * every listener was told: the JVM is in no state to go on as if nothing happened.
 *
 * <p>{@link #notify} takes its arguments as parameters so that a policy passes a constant, non-capturing
 * {@link Notice} and telling its listeners allocates nothing.
 *
 * @param <L> the listener type
 * @param <S> the policy the listeners hear of, handed to each notice
 */
public final class ListenerList<L, S> {

    private static final System.Logger LOGGER = System.getLogger(ListenerList.class.getName());
    private static final Object[] NONE = {};

    /** Tells one listener of one event. */
    @FunctionalInterface
    public interface Notice<L, S> {

        void deliver(L listener, S source, long number, Object detail);
    }

    private final S source;
    private final String description;
    private volatile Object[] listeners = NONE;

    /**
     * @param source      the policy handed to every notice
     * @param description names the policy in the log line of a failing listener, e.g. {@code circuit breaker 'partner'}
     */
    public ListenerList(S source, String description) {
        this.source = Objects.requireNonNull(source, "source");
        this.description = Objects.requireNonNull(description, "description");
    }

    public synchronized void add(L listener) {
        Objects.requireNonNull(listener, "listener");
        Object[] current = listeners;
        Object[] extended = Arrays.copyOf(current, current.length + 1);
        extended[current.length] = listener;
        listeners = extended;
    }

    /** Tells every listener, in the order they were added; see the class comment for what a failure does. */
    @SuppressWarnings("unchecked")
    public void notify(Notice<? super L, ? super S> notice, long number, Object detail) {
        Object[] current = listeners;
        VirtualMachineError fatal = null;
        for (Object listener : current) {
            try {
                notice.deliver((L) listener, source, number, detail);
            } catch (VirtualMachineError error) {
                fatal = error;
            } catch (Throwable failure) {
                LOGGER.log(System.Logger.Level.WARNING,
                        "A listener of " + description + " failed; the call and the policy go on unchanged", failure);
            }
        }
        if (fatal != null) {
            throw fatal;
        }
    }
}
