package dev.resilience.dashboard;

import java.time.Duration;

/** How the live view's event texts write figures for a person. */
final class Words {

    private Words() {
    }

    /** {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 2h}: the way {@code application.yml} writes durations. */
    static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        StringBuilder text = new StringBuilder();
        if (seconds >= 3600) {
            text.append(seconds / 3600).append('h');
            seconds %= 3600;
        }
        if (seconds >= 60) {
            text.append(seconds / 60).append('m');
            seconds %= 60;
        }
        if (seconds > 0) {
            text.append(seconds).append('s');
        }
        return text.toString();
    }

    /** {@code 1 call}, {@code 3 calls}. */
    static String calls(long count) {
        return count == 1 ? "1 call" : count + " calls";
    }
}
