package dev.resilience.actuate;

/**
 * What an endpoint's error message repeats of a value the client sent: all of a short one, only the start and the
 * length of a long one, so that a huge bad request does not come back as a huge answer.
 */
final class Echo {

    /** The most characters (code points) of a client's value that an error message repeats. */
    static final int MAX_CHARACTERS = 64;

    private Echo() {
    }

    /**
     * {@code 'value'} when it has at most {@value #MAX_CHARACTERS} characters, otherwise its first
     * {@value #MAX_CHARACTERS} followed by {@code …} and its length: {@code 'xxxx…' (1048576 characters)}.
     */
    static String quoted(String value) {
        int length = value.codePointCount(0, value.length());
        if (length <= MAX_CHARACTERS) {
            return "'" + value + "'";
        }
        // counted in code points, so that a character outside the BMP is never cut in half
        String start = value.substring(0, value.offsetByCodePoints(0, MAX_CHARACTERS));
        return "'" + start + "\u2026' (" + length + " characters)";
    }
}
