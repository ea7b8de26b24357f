package dev.resilience.dashboard;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The recent events of the live view, newest last, in a ring of fixed size: a breaker's transitions as they happen,
 * and what the ticks notice (calls that start or stop failing, timing out or being rejected). Events are rare (a
 * handful a minute even in a storm, for a start and a stop are each told once), so adding takes a lock.
 */
final class EventLog {

    /** How bad an event is, for its colour on the page. */
    enum Level {
        /** Something went wrong: calls fail, a breaker opened. */
        BAD,
        /** Worth a look: calls are rejected by design, a breaker tries again. */
        WARN,
        /** Back to normal. */
        GOOD,
        /** Neither. */
        INFO;

        String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One event.
     *
     * @param sequence  1 for the first event, and so on: the page tells new events from those it has by it
     * @param timeMillis when it happened, milliseconds since the epoch
     * @param kind      the kind of the instance
     * @param name      the instance
     * @param level     how bad it is
     * @param text      what happened, for a person
     */
    record Event(long sequence, long timeMillis, String kind, String name, Level level, String text) {

        void write(Json json) {
            json.beginObject()
                    .field("seq", sequence)
                    .field("time", timeMillis)
                    .field("kind", kind)
                    .field("name", name)
                    .field("level", level.key())
                    .field("text", text)
                    .endObject();
        }
    }

    private final Event[] ring;
    private final Clock clock;
    private long next = 1;

    EventLog(int capacity, Clock clock) {
        this.ring = new Event[capacity];
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    synchronized void add(String kind, String name, Level level, String text) {
        Event event = new Event(next, clock.millis(), kind, name, level, text);
        ring[(int) ((next - 1) % ring.length)] = event;
        next++;
    }

    /** The kept events, oldest first. */
    synchronized List<Event> all() {
        return since(Long.MIN_VALUE, ring.length);
    }

    /** The kept events newer than {@code timeMillis}, at most {@code max} of them (the newest), oldest first. */
    synchronized List<Event> since(long timeMillis, int max) {
        List<Event> events = new ArrayList<>();
        long first = Math.max(1, next - Math.min(max, ring.length));
        for (long sequence = first; sequence < next; sequence++) {
            Event event = ring[(int) ((sequence - 1) % ring.length)];
            if (event.timeMillis() > timeMillis) {
                events.add(event);
            }
        }
        return events;
    }
}
