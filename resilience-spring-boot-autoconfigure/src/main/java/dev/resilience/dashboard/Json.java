package dev.resilience.dashboard;

/**
 * Writes the JSON of the streams by hand, so that the live view needs no JSON library of its own (and works with
 * whichever Jackson the application has, or none). Only what the frames need: objects, arrays, strings, numbers,
 * booleans and null. Every character outside printable ASCII is escaped, so that a frame reads the same in any
 * encoding the transport picks.
 */
final class Json {

    private final StringBuilder out;
    /** Whether the next value of the current object or array needs a comma before it. */
    private boolean comma;

    Json(int capacity) {
        this.out = new StringBuilder(capacity);
    }

    Json beginObject() {
        separate();
        out.append('{');
        comma = false;
        return this;
    }

    Json endObject() {
        out.append('}');
        comma = true;
        return this;
    }

    Json beginArray() {
        separate();
        out.append('[');
        comma = false;
        return this;
    }

    Json endArray() {
        out.append(']');
        comma = true;
        return this;
    }

    /** Starts a field of the current object; the value follows. */
    Json name(String name) {
        separate();
        string(name);
        out.append(':');
        comma = false;
        return this;
    }

    Json value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        }
        else {
            string(value);
        }
        comma = true;
        return this;
    }

    Json value(long value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    /** A number rounded to three decimals; {@code null} for what JSON cannot hold (NaN, infinities). */
    Json value(double value) {
        separate();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        }
        else if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        }
        else {
            out.append(Math.round(value * 1000.0) / 1000.0);
        }
        comma = true;
        return this;
    }

    Json value(boolean value) {
        separate();
        out.append(value);
        comma = true;
        return this;
    }

    Json field(String name, String value) {
        return name(name).value(value);
    }

    Json field(String name, long value) {
        return name(name).value(value);
    }

    Json field(String name, double value) {
        return name(name).value(value);
    }

    Json field(String name, boolean value) {
        return name(name).value(value);
    }

    /** A number, written as {@link #value(long)} or {@link #value(double)} by its type; other objects as strings. */
    Json field(String name, Object value) {
        name(name);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return value(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return value(number.doubleValue());
        }
        if (value instanceof Boolean bool) {
            return value(bool.booleanValue());
        }
        return value(value == null ? null : value.toString());
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (comma) {
            out.append(',');
            comma = false;
        }
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
