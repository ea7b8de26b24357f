package dev.resilience.dashboard;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.resilience.core.Policy;

/**
 * An instance of a kind the live view has no track of its own for (a kind added after it), read by the conventions
 * every kind of the starter follows: {@code getState()} answers an enum, and {@code getMetrics()} a record. The
 * record's {@code long} components named {@code …Calls} are counters that only grow, each call in one of them
 * ({@code permittedCalls}, {@code rejectedCalls}); those named {@code rejected…} count refusals. Its other numeric
 * components are gauges ({@code availablePermissions}, {@code waitingCalls}).
 *
 * <p>Reflection runs on the view's thread once per tick, never on the path of a call.
 */
final class GenericTrack extends Track {

    private final Policy policy;
    private final Method state;
    private final Method metrics;
    private final List<RecordComponent> counterComponents = new ArrayList<>();
    private final List<RecordComponent> gaugeComponents = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();

    GenericTrack(String kind, Policy policy) {
        super(kind, policy.getName());
        this.policy = policy;
        this.state = accessor(policy.getClass(), "getState", Enum.class);
        this.metrics = accessor(policy.getClass(), "getMetrics", Record.class);
        if (metrics != null) {
            for (RecordComponent component : metrics.getReturnType().getRecordComponents()) {
                Class<?> type = component.getType();
                if (type == long.class && component.getName().endsWith("Calls")) {
                    counterComponents.add(component);
                    counters.add(component.getName().startsWith("rejected")
                            ? Counter.rejections(component.getName(), "calls are rejected",
                                    "no more rejections")
                            : Counter.calls(component.getName()));
                }
                else if (type.isPrimitive() && type != boolean.class && type != char.class
                        || Number.class.isAssignableFrom(type)) {
                    gaugeComponents.add(component);
                }
            }
        }
    }

    /** The kind of the instances of a registry class, as the settings name it: {@code RateLimiterRegistry} → {@code ratelimiter}. */
    static String kindOf(Class<?> registryClass) {
        String name = registryClass.getSimpleName();
        if (name.endsWith("Registry")) {
            name = name.substring(0, name.length() - "Registry".length());
        }
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    List<Counter> counters() {
        return counters;
    }

    @Override
    void readCounters(long[] into) {
        Object snapshot = metrics();
        for (int i = 0; i < counterComponents.size(); i++) {
            Object value = snapshot == null ? null : read(counterComponents.get(i), snapshot);
            into[i] = value instanceof Number number ? number.longValue() : 0;
        }
    }

    @Override
    String state() {
        Object value = invoke(state, policy);
        return value instanceof Enum<?> constant ? constant.name() : null;
    }

    @Override
    void gauges(Map<String, Object> into) {
        Object snapshot = metrics();
        if (snapshot == null) {
            return;
        }
        for (RecordComponent component : gaugeComponents) {
            Object value = read(component, snapshot);
            if (value != null) {
                into.put(component.getName(), value);
            }
        }
    }

    @Override
    Policy policy() {
        return policy;
    }

    private Object metrics() {
        return invoke(metrics, policy);
    }

    private static Object read(RecordComponent component, Object record) {
        return invoke(component.getAccessor(), record);
    }

    private static Object invoke(Method method, Object target) {
        if (method == null) {
            return null;
        }
        try {
            return method.invoke(target);
        }
        catch (ReflectiveOperationException | RuntimeException ex) {
            return null;
        }
    }

    /** A public no-argument method of {@code type} named {@code name} that answers a {@code returns}, or {@code null}. */
    private static Method accessor(Class<?> type, String name, Class<?> returns) {
        try {
            Method method = type.getMethod(name);
            if (!returns.isAssignableFrom(method.getReturnType()) || Modifier.isStatic(method.getModifiers())) {
                return null;
            }
            method.trySetAccessible();
            return method;
        }
        catch (NoSuchMethodException | SecurityException ex) {
            return null;
        }
    }
}
