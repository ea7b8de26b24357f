package dev.resilience.autoconfigure;

import java.time.Duration;

import dev.resilience.dashboard.DashboardPage;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The live view's settings, bound from {@code resilience.dashboard.*}.
 *
 * @param enabled  Whether the live view is served: the dashboard page at 'resilience.dashboard.path', the stream at
 *                 /resilience/stream and the Hystrix-format stream at /resilience/hystrix.stream, on the
 *                 application's own web server (Spring MVC or WebFlux). Off by default: the page shows every
 *                 instance's figures and recent failures, so protect the paths before turning it on (see the
 *                 README). A value that is not a boolean fails the start.
 * @param path     Where the dashboard page is served. The streams stay at /resilience/stream and
 *                 /resilience/hystrix.stream; the page finds them relative to this path.
 * @param interval The time between two frames of the streams: each frame holds every instance. Between 10ms and
 *                 1m.
 */
@ConfigurationProperties(value = "resilience.dashboard", ignoreUnknownFields = false)
public record DashboardProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("/resilience/dashboard") String path,
        @DefaultValue("1s") Duration interval) {

    static final String PREFIX = "resilience.dashboard";
    static final Duration MIN_INTERVAL = Duration.ofMillis(10);
    static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

    /** Fails the start, naming the property, on a path or interval the live view cannot use. */
    void validate() {
        if (interval == null || interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new InvalidResiliencePropertyException(PREFIX + ".interval", interval, "must be between 10ms and 1m");
        }
        if (path == null || !path.startsWith("/") || path.length() < 2) {
            throw new InvalidResiliencePropertyException(PREFIX + ".path", path,
                    "must start with '/' and name a page, for example /resilience/dashboard");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || "?#{}*\\%;".indexOf(c) >= 0) {
                throw new InvalidResiliencePropertyException(PREFIX + ".path", path,
                        "must be a plain path, without '" + c + "'");
            }
        }
        if (path.equals(DashboardPage.STREAM_PATH) || path.equals(DashboardPage.HYSTRIX_STREAM_PATH)) {
            throw new InvalidResiliencePropertyException(PREFIX + ".path", path, "is the path of a stream");
        }
    }
}
