package dev.resilience.core;

/**
 * A setting is out of range. Carries the setting's key (as written in configuration, for example
 * {@code failure-rate-threshold}) and the rejected value, so that a caller binding settings from a
 * file can name the full property path.
 */
public class InvalidConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final transient Object value;

    public InvalidConfigException(String key, Object value, String reason) {
        super(key + " " + reason + ", was " + value);
        this.key = key;
        this.value = value;
    }

    public String getKey() {
        return key;
    }

    public Object getValue() {
        return value;
    }

    /** The reason alone, without the key and value. */
    public String getReason() {
        String message = getMessage();
        return message.substring(key.length() + 1, message.lastIndexOf(", was "));
    }
}
