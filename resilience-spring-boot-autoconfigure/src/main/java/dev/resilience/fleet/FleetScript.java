package dev.resilience.fleet;

import java.util.Objects;

import io.lettuce.core.ScriptOutputType;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A Lua script run atomically by Redis: sent as {@code EVALSHA} by its SHA-1, and as {@code EVAL} (which loads it)
 * only when the server does not know it yet ({@code NOSCRIPT}: the first run, or after a restart or
 * {@code SCRIPT FLUSH}). See {@link FleetConnection#eval}.
 *
 * <p>Every key a script touches must be passed in {@code KEYS} and, on Redis Cluster, hash to one slot: give them one
 * hash tag, {@code resilience:orders:ratelimiter:{partner}:...}.
 */
public final class FleetScript {

    private final String source;
    private final String sha1;
    private final ScriptOutputType output;

    private FleetScript(String source, ScriptOutputType output) {
        this.source = Objects.requireNonNull(source, "source");
        this.output = Objects.requireNonNull(output, "output");
        this.sha1 = RedisScript.of(source).getSha1();
    }

    /** @param output how Lettuce decodes the reply ({@code INTEGER}, {@code MULTI} for a table, ...) */
    public static FleetScript of(String source, ScriptOutputType output) {
        return new FleetScript(source, output);
    }

    public String source() {
        return source;
    }

    public String sha1() {
        return sha1;
    }

    public ScriptOutputType output() {
        return output;
    }
}
