package dev.resilience.aop;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.core.Call;

/**
 * Chains by (invoked method, target class) without allocating a key per call. The same {@link Method} can be
 * invoked on beans of different classes (an interface method, an inherited method) whose annotations differ, so
 * the class is part of the key; almost always a method meets one class only, which is the fast first slot.
 */
final class ChainCache {

    private final ConcurrentHashMap<Method, Entry> entries = new ConcurrentHashMap<>();

    Call<MethodInvocation> get(Method method, Class<?> targetClass) {
        Entry entry = entries.get(method);
        if (entry == null) {
            return null;
        }
        if (entry.targetClass == targetClass) {
            return entry.chain;
        }
        return entry.others.get(targetClass);
    }

    /** Stores the chain unless one is already there, and answers the one that is stored. */
    Call<MethodInvocation> putIfAbsent(Method method, Class<?> targetClass, Call<MethodInvocation> chain) {
        Entry entry = entries.compute(method, (key, existing) -> {
            if (existing == null) {
                return new Entry(targetClass, chain, Map.of());
            }
            if (existing.targetClass == targetClass || existing.others.containsKey(targetClass)) {
                return existing;
            }
            Map<Class<?>, Call<MethodInvocation>> others = new HashMap<>(existing.others);
            others.put(targetClass, chain);
            return new Entry(existing.targetClass, existing.chain, Map.copyOf(others));
        });
        return entry.targetClass == targetClass ? entry.chain : entry.others.get(targetClass);
    }

    private record Entry(Class<?> targetClass, Call<MethodInvocation> chain,
            Map<Class<?>, Call<MethodInvocation>> others) {
    }
}
