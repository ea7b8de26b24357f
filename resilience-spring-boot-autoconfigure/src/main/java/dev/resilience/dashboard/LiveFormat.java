package dev.resilience.dashboard;

import java.util.List;
import java.util.Map;

/**
 * The frames of {@code /resilience/stream}, one line of JSON each. Every interval a frame holds every instance:
 *
 * <pre>
 * {"seq":42,"time":1764590400000,"interval":1000,"window":10000,
 *  "instances":[{"kind":"circuitbreaker","name":"partner","state":"CLOSED",
 *                "calls":2.1,"rejections":0,"bad":0.3,
 *                "rates":{"successful":1.8,"failed":0.3,"ignored":0,"notPermitted":0,"slow":0},
 *                "gauges":{"failureRate":12.5,"slowCallRate":0,…},
 *                "latency":{"count":21,"mean":3.2,"p50":2.9,"p90":4.8,"p99":7.7,"max":8.1},
 *                "spark":[2,0]}, …],
 *  "events":[{"seq":7,"time":…,"kind":"circuitbreaker","name":"partner","level":"bad","text":"CLOSED → OPEN: …"}]}
 * </pre>
 *
 * Rates are per second over the window ({@code window} milliseconds, the last ten seconds); latencies are in
 * milliseconds over the window; {@code spark} is the newest point of the sparkline: calls, and calls that went wrong,
 * per second over the last interval alone; {@code events} are the events of the last half minute (a client that
 * missed a frame misses no event), told apart by {@code seq}.
 *
 * <p>A client first gets one {@code history} event: the sparkline's points so far (oldest first) and every kept
 * event.
 */
final class LiveFormat {

    /** Frames carry the events of this many last milliseconds. */
    static final long EVENT_MILLIS = 30_000;
    /** And at most this many of them. */
    static final int EVENTS_PER_FRAME = 20;

    private LiveFormat() {
    }

    static String frame(long sequence, long timeMillis, long intervalMillis, long windowMillis, List<Figures> figures,
            List<EventLog.Event> events) {
        Json json = new Json(256 + figures.size() * 640);
        json.beginObject()
                .field("seq", sequence)
                .field("time", timeMillis)
                .field("interval", intervalMillis)
                .field("window", windowMillis)
                .name("instances").beginArray();
        for (Figures instance : figures) {
            instance(json, instance);
        }
        json.endArray();
        events(json, events);
        return json.endObject().toString();
    }

    static String history(long sequence, long intervalMillis, List<TrackWindow> windows, List<EventLog.Event> events) {
        Json json = new Json(256 + windows.size() * 4096);
        json.beginObject()
                .field("seq", sequence)
                .field("interval", intervalMillis)
                .name("instances").beginArray();
        for (TrackWindow window : windows) {
            json.beginObject()
                    .field("kind", window.track().kind())
                    .field("name", window.track().name());
            points(json.name("calls"), window.sparkCalls());
            points(json.name("bad"), window.sparkBad());
            json.endObject();
        }
        json.endArray();
        events(json, events);
        return json.endObject().toString();
    }

    private static void instance(Json json, Figures figures) {
        json.beginObject()
                .field("kind", figures.kind())
                .field("name", figures.name());
        if (figures.state() != null) {
            json.field("state", figures.state());
        }
        json.field("calls", figures.calls())
                .field("rejections", figures.rejections())
                .field("bad", figures.bad());
        json.name("rates").beginObject();
        List<Track.Counter> counters = figures.track().counters();
        for (int i = 0; i < counters.size(); i++) {
            json.field(counters.get(i).name(), figures.rates()[i]);
        }
        json.endObject();
        json.name("gauges").beginObject();
        for (Map.Entry<String, Object> gauge : figures.gauges().entrySet()) {
            json.field(gauge.getKey(), gauge.getValue());
        }
        json.endObject();
        Figures.Latency latency = figures.latency();
        if (latency != null) {
            json.name("latency").beginObject()
                    .field("count", latency.count())
                    .field("mean", millis(latency.meanNanos()))
                    .field("p50", millis(latency.percentile(50)))
                    .field("p90", millis(latency.percentile(90)))
                    .field("p99", millis(latency.percentile(99)))
                    .field("max", millis(latency.maxNanos()))
                    .endObject();
        }
        json.name("spark").beginArray().value(figures.lastCalls()).value(figures.lastBad()).endArray();
        json.endObject();
    }

    private static void events(Json json, List<EventLog.Event> events) {
        json.name("events").beginArray();
        for (EventLog.Event event : events) {
            event.write(json);
        }
        json.endArray();
    }

    private static void points(Json json, float[] points) {
        json.beginArray();
        for (float point : points) {
            json.value(Math.round(point * 100) / 100.0);
        }
        json.endArray();
    }

    /** Milliseconds with three decimals: what a person reads, from nanoseconds. */
    static double millis(double nanos) {
        return Math.round(nanos / 1000.0) / 1000.0;
    }
}
