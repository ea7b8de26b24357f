package dev.resilience.dashboard;

import java.util.Objects;

/**
 * One server-sent event of a stream, already written: the web layers (Spring MVC's {@code SseEmitter}, WebFlux's
 * {@code ServerSentEvent}) only put it on the wire.
 *
 * @param name        the event's name ({@code event:}), or {@code null} for the default ({@code message})
 * @param data        the data, one line of JSON; or the text of a comment
 * @param comment     whether this is a comment ({@code : ping}), which keeps a quiet stream open and tells a client
 *                    that went away apart from one that listens
 * @param retryMillis how long a client that lost the stream waits before it connects again, or 0 to say nothing
 * @param keep        whether the event must reach a slow client: a frame may be replaced by the next one before a
 *                    slow client took it; a kept event (the history at the start) never is
 */
public record StreamEvent(String name, String data, boolean comment, long retryMillis, boolean keep) {

    public StreamEvent {
        Objects.requireNonNull(data, "data");
    }

    static StreamEvent frame(String data) {
        return new StreamEvent(null, data, false, 0, false);
    }

    static StreamEvent named(String name, String data, long retryMillis) {
        return new StreamEvent(name, data, false, retryMillis, true);
    }

    static StreamEvent ping() {
        return new StreamEvent(null, "ping", true, 0, false);
    }
}
