package dev.resilience.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.origin.Origin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns Resilience4j's settings ({@code resilience4j.*}) into ours ({@code resilience.*}): the same keys under the
 * other prefix, {@code timelimiter} as {@code timeout}, {@code thread-pool-bulkhead} as {@code bulkhead} with
 * {@code type: thread-pool}, Resilience4j's own exception classes as ours; what has no equivalent is listed with the
 * reason instead. Used by {@link Resilience4jPropertiesCheck} to print what to paste.
 */
final class Resilience4jMigration {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("resilience4j");

    /** One {@code resilience4j.*} property as found in the environment. */
    record Setting(ConfigurationPropertyName name, Object value, Origin origin) {

        String described() {
            return name + (origin != null ? " (" + origin + ")" : "");
        }
    }

    /**
     * @param yaml    the equivalent settings as a YAML block rooted at {@code resilience:}; empty when none carry over
     * @param dropped each setting that does not carry over, with the reason
     */
    record Result(String yaml, List<String> dropped) {
    }

    private static final Map<String, String> CIRCUIT_BREAKER_KEYS = keys("sliding-window-type", "sliding-window-size",
            "minimum-number-of-calls", "failure-rate-threshold", "slow-call-duration-threshold",
            "slow-call-rate-threshold", "wait-duration-in-open-state", "permitted-number-of-calls-in-half-open-state",
            "automatic-transition-from-open-to-half-open-enabled", "record-exceptions", "ignore-exceptions",
            "base-config", "event-consumer-buffer-size", "allow-health-indicator-to-fail");
    private static final Map<String, String> RETRY_KEYS = keys("max-attempts", "wait-duration",
            "enable-exponential-backoff", "exponential-backoff-multiplier", "exponential-max-wait-duration",
            "enable-randomized-wait", "randomized-wait-factor", "retry-exceptions", "ignore-exceptions", "base-config");
    private static final Map<String, String> BULKHEAD_KEYS = keys("max-concurrent-calls", "max-wait-duration",
            "base-config");
    private static final Map<String, String> THREAD_POOL_BULKHEAD_KEYS = keys("max-thread-pool-size",
            "core-thread-pool-size", "queue-capacity", "keep-alive-duration", "base-config");
    private static final Map<String, String> TIME_LIMITER_KEYS = keys("timeout-duration", "cancel-running-future",
            "base-config");
    private static final Map<String, String> RATE_LIMITER_KEYS = keys("limit-for-period", "limit-refresh-period",
            "timeout-duration", "base-config");

    /** Why a key of a rate limiter does not carry over, where the reason differs from the other kinds'. */
    private static final Map<String, String> RATE_LIMITER_WHY_NOT = Map.of(
            "registerhealthindicator", "rate limiters have no health contributor here: a limit reached is this "
                    + "service's own back-pressure, not a failure",
            "allowhealthindicatortofail", "rate limiters have no health contributor here: a limit reached is this "
                    + "service's own back-pressure, not a failure",
            "subscribeforevents", "rate limiters keep no recent events here",
            "drainpermissionsonresult", "results never drain permits here");

    /** Why a key of an instance or template does not carry over, by its uniform name (lower case, no dashes). */
    private static final Map<String, String> WHY_NOT = new LinkedHashMap<>();

    static {
        String predicates = "predicates are not supported: list the exception classes instead";
        WHY_NOT.put("recordfailurepredicate", predicates + " (record-exceptions)");
        WHY_NOT.put("ignoreexceptionpredicate", predicates + " (ignore-exceptions)");
        WHY_NOT.put("retryexceptionpredicate", predicates + " (retry-exceptions)");
        WHY_NOT.put("recordresultpredicate", "results are never counted as failures here; throw instead");
        WHY_NOT.put("resultpredicate", "results are never retried here; throw instead");
        WHY_NOT.put("consumeresultbeforeretryattempt", "results are never retried here");
        WHY_NOT.put("failaftermaxattempts", "results are never retried here, so attempts only run out on exceptions,"
                + " and the last one is rethrown unchanged");
        WHY_NOT.put("intervalbifunction", "waits come from wait-duration and the backoff keys only");
        WHY_NOT.put("registerhealthindicator", "every breaker is in the circuitBreakers health contributor (off: "
                + "management.health.circuitbreakers.enabled=false)");
        WHY_NOT.put("maxwaitdurationinhalfopenstate", "HALF_OPEN waits for its trial calls without a time limit");
        WHY_NOT.put("transitiontostateafterwaitduration", "HALF_OPEN waits for its trial calls without a time limit");
        WHY_NOT.put("initialstate", "a breaker starts CLOSED; move it with POST /actuator/circuitbreakers/{name}");
        WHY_NOT.put("writablestacktraceenabled", "rejections never carry a stack trace here");
        String openBackoff = "OPEN always waits wait-duration-in-open-state";
        WHY_NOT.put("exponentialmaxwaitdurationinopenstate", openBackoff);
        WHY_NOT.put("ignoreclassbindingexceptions", "an unknown exception class fails the start here");
        WHY_NOT.put("contextpropagators", "define a TaskDecorator bean: every thread-pool bulkhead runs its tasks "
                + "through it");
        WHY_NOT.put("eventconsumerbuffersize", "only circuit breakers keep recent events here");
    }

    /** Resilience4j's exception classes in exception lists, and ours. */
    private static final Map<String, String> EXCEPTIONS = Map.of(
            "io.github.resilience4j.circuitbreaker.CallNotPermittedException",
            "dev.resilience.core.CircuitBreakerOpenException",
            "io.github.resilience4j.bulkhead.BulkheadFullException", "dev.resilience.core.BulkheadFullException",
            "io.github.resilience4j.ratelimiter.RequestNotPermitted", "dev.resilience.core.RateLimitExceededException");

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.$\\-]+");

    private Resilience4jMigration() {
    }

    static boolean isResilience4j(ConfigurationPropertyName name) {
        return PREFIX.isAncestorOf(name);
    }

    static Result translate(List<Setting> settings) {
        Map<String, Object> tree = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        Set<String> threadPoolNames = new LinkedHashSet<>();
        for (Setting setting : settings) {
            ConfigurationPropertyName name = setting.name;
            if (name.getNumberOfElements() >= 4 && uniform(name, 1).equals("threadpoolbulkhead")
                    && isSection(uniform(name, 2))) {
                threadPoolNames.add(section(uniform(name, 2)) + "/" + name.getElement(3, Form.ORIGINAL));
            }
        }
        for (Setting setting : settings) {
            String why = translate(setting, tree, threadPoolNames);
            if (why != null) {
                dropped.add(setting.described() + ": " + why);
            }
        }
        StringBuilder yaml = new StringBuilder();
        if (!tree.isEmpty()) {
            write(Map.of("resilience", tree), 0, yaml);
        }
        return new Result(yaml.toString(), dropped);
    }

    /** Adds the setting's equivalent to {@code tree}; the reason it has none, or {@code null}. */
    private static String translate(Setting setting, Map<String, Object> tree, Set<String> threadPoolNames) {
        ConfigurationPropertyName name = setting.name;
        if (name.getNumberOfElements() < 2) {
            return "no equivalent here";
        }
        String kind = uniform(name, 1);
        String ours;
        Map<String, String> keys;
        switch (kind) {
            case "circuitbreaker" -> {
                ours = "circuitbreaker";
                keys = CIRCUIT_BREAKER_KEYS;
            }
            case "retry" -> {
                ours = "retry";
                keys = RETRY_KEYS;
            }
            case "bulkhead" -> {
                ours = "bulkhead";
                keys = BULKHEAD_KEYS;
            }
            case "threadpoolbulkhead" -> {
                ours = "bulkhead";
                keys = THREAD_POOL_BULKHEAD_KEYS;
            }
            case "timelimiter" -> {
                ours = "timeout";
                keys = TIME_LIMITER_KEYS;
            }
            case "ratelimiter" -> {
                ours = "ratelimiter";
                keys = RATE_LIMITER_KEYS;
            }
            default -> {
                return "no equivalent here";
            }
        }
        if (name.getNumberOfElements() < 5 || !isSection(uniform(name, 2))) {
            String leaf = uniform(name, 2);
            if (leaf.endsWith("aspectorder")) {
                return "the order of the annotations is fixed here: Fallback, Retry, RateLimiter, CircuitBreaker, "
                        + "Timeout, Bulkhead (outermost first)";
            }
            if (leaf.equals("tags")) {
                return "meters are tagged with the instance name only";
            }
            return "no equivalent here";
        }
        String section = section(uniform(name, 2));
        String instance = name.getElement(3, Form.ORIGINAL);
        String key = keys.get(uniform(name, 4));
        if (key == null) {
            String why = kind.equals("ratelimiter") && RATE_LIMITER_WHY_NOT.containsKey(uniform(name, 4))
                    ? RATE_LIMITER_WHY_NOT.get(uniform(name, 4)) : WHY_NOT.get(uniform(name, 4));
            if (why == null && kind.equals("circuitbreaker") && isOpenStateBackoff(uniform(name, 4))) {
                why = "OPEN always waits wait-duration-in-open-state";
            }
            return why != null ? why : "no such key here";
        }
        if (kind.equals("bulkhead") && threadPoolNames.contains(section + "/" + instance)) {
            return "the thread-pool bulkhead of the same name is kept: here one bulkhead per name";
        }
        Map<String, Object> node = child(child(child(tree, ours), section), instance);
        if (kind.equals("threadpoolbulkhead")) {
            node.put("type", "thread-pool");
        }
        String value = value(setting.value, key);
        if (kind.equals("retry") && key.equals("retry-exceptions")
                && value.contains("dev.resilience.core.CircuitBreakerOpenException")) {
            node.put("retry-on-circuit-breaker-open", "true");
        }
        if (name.getNumberOfElements() > 5 && name.isNumericIndex(5)) {
            Object list = node.computeIfAbsent(key, k -> new TreeMap<Integer, String>());
            if (list instanceof TreeMap<?, ?> indexed) {
                @SuppressWarnings("unchecked")
                TreeMap<Integer, String> items = (TreeMap<Integer, String>) indexed;
                items.put(Integer.parseInt(name.getElement(5, Form.ORIGINAL)), value);
                return null;
            }
            return "given both as a list and as one value";
        }
        node.put(key, value);
        return null;
    }

    private static boolean isOpenStateBackoff(String uniformKey) {
        return uniformKey.equals("enableexponentialbackoff") || uniformKey.equals("exponentialbackoffmultiplier")
                || uniformKey.equals("enablerandomizedwait") || uniformKey.equals("randomizedwaitfactor");
    }

    private static String value(Object raw, String key) {
        String value = String.valueOf(raw);
        if (!key.endsWith("-exceptions")) {
            return value;
        }
        List<String> classes = new ArrayList<>();
        for (String each : value.split(",")) {
            String trimmed = each.trim();
            classes.add(EXCEPTIONS.getOrDefault(trimmed, trimmed));
        }
        return String.join(",", classes);
    }

    private static boolean isSection(String uniform) {
        return uniform.equals("instances") || uniform.equals("backends") || uniform.equals("configs");
    }

    /** {@code backends} is Resilience4j's older name of {@code instances}. */
    private static String section(String uniform) {
        return uniform.equals("configs") ? "configs" : "instances";
    }

    private static String uniform(ConfigurationPropertyName name, int index) {
        return index < name.getNumberOfElements() ? name.getElement(index, Form.UNIFORM) : "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> child(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    private static void write(Map<String, Object> node, int depth, StringBuilder out) {
        String indent = "  ".repeat(depth);
        for (Map.Entry<String, Object> entry : node.entrySet()) {
            out.append(indent).append(key(entry.getKey())).append(':');
            Object value = entry.getValue();
            if (value instanceof TreeMap<?, ?> items) {
                out.append('\n');
                for (Object item : items.values()) {
                    out.append(indent).append("  - ").append(scalar(String.valueOf(item))).append('\n');
                }
            } else if (value instanceof Map<?, ?> map) {
                out.append('\n');
                @SuppressWarnings("unchecked")
                Map<String, Object> children = (Map<String, Object>) map;
                write(children, depth + 1, out);
            } else {
                out.append(' ').append(scalar(String.valueOf(value))).append('\n');
            }
        }
    }

    /** A map key as Spring Boot reads it from YAML: a name with a dot or other such characters in brackets. */
    private static String key(String key) {
        return key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_') ? key
                : "\"[" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "]\"";
    }

    private static String scalar(String value) {
        return PLAIN.matcher(value).matches() || value.matches("[A-Za-z0-9_.$\\-]+(,[A-Za-z0-9_.$\\-]+)*")
                ? value : "'" + value.replace("'", "''") + "'";
    }

    private static Map<String, String> keys(String... dashed) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String key : dashed) {
            keys.put(key.replace("-", ""), key);
        }
        return keys;
    }
}
