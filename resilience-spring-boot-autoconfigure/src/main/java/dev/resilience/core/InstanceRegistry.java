package dev.resilience.core;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Hands out named instances of one kind of policy: each name is created once, from the config
 * resolved for it, and shared by every caller of that name. Listeners hear of every instance as it is
 * created (and of those that exist when they subscribe), so that metrics and endpoints never poll.
 *
 * @param <T> the kind of instance
 */
public class InstanceRegistry<T extends Policy> {

    private final ConcurrentMap<String, T> instances = new ConcurrentHashMap<>();
    private final Function<String, T> factory;
    private final List<Consumer<? super T>> addedListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<? super T>> removedListeners = new CopyOnWriteArrayList<>();

    /** @param factory creates the instance for a name; called at most once per name */
    protected InstanceRegistry(Function<String, T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The instance of this name, created on first request. */
    public T get(String name) {
        Objects.requireNonNull(name, "name");
        T existing = instances.get(name);
        if (existing != null) {
            return existing;
        }
        boolean[] created = {false};
        T instance = instances.computeIfAbsent(name, key -> {
            created[0] = true;
            return factory.apply(key);
        });
        if (created[0]) {
            addedListeners.forEach(listener -> listener.accept(instance));
        }
        return instance;
    }

    /** The instance of this name, if one was created. */
    public Optional<T> find(String name) {
        return Optional.ofNullable(instances.get(name));
    }

    /** Every instance created so far. */
    public Collection<T> getAll() {
        return Collections.unmodifiableCollection(instances.values());
    }

    /** Removes the instance of this name, if any, and tells the listeners. */
    public Optional<T> remove(String name) {
        T removed = instances.remove(name);
        if (removed != null) {
            removedListeners.forEach(listener -> listener.accept(removed));
        }
        return Optional.ofNullable(removed);
    }

    /** Calls {@code listener} for every instance that exists now and for each one created later. */
    public void onAdded(Consumer<? super T> listener) {
        addedListeners.add(listener);
        instances.values().forEach(listener);
    }

    public void onRemoved(Consumer<? super T> listener) {
        removedListeners.add(listener);
    }
}
