package dev.resilience.autoconfigure;

import dev.resilience.core.InvalidConfigException;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The settings of one instance (or one template) in layers: the instance's own keys over its template's
 * keys over the config record's built-in defaults. Remembers which property path each applied value came
 * from, so that a rejection by a core config record names the place the user has to change.
 *
 * @param <P> the keys of one instance or template of the kind (for example
 *            {@code CircuitBreakerProperties.InstanceProperties})
 */
final class LayeredSettings<P extends KindProperties.Layer> {

    static final String DEFAULT_TEMPLATE = "default";

    private final P instance;
    private final String instancePath;
    private final P template;
    private final String templatePath;
    private final String defaultOriginPath;
    private final Map<String, String> origins = new HashMap<>();
    private final Map<String, Object> values = new HashMap<>();

    private LayeredSettings(P instance, String instancePath, P template, String templatePath,
            String defaultOriginPath) {
        this.instance = instance;
        this.instancePath = instancePath;
        this.template = template;
        this.templatePath = templatePath;
        this.defaultOriginPath = defaultOriginPath;
    }

    /**
     * The settings of the instance {@code name} of {@code kind}: its own keys (if it is configured) over the
     * template its {@code base-config} names, or else over the {@code default} template when there is one.
     */
    static <P extends KindProperties.Layer> LayeredSettings<P> ofInstance(KindProperties<P, ?> kind, String name) {
        String prefix = kind.prefix();
        Map<String, P> configs = kind.configs();
        P instance = kind.instances().get(name);
        String instancePath = prefix + ".instances" + element(name);
        String templateName = DEFAULT_TEMPLATE;
        if (instance != null && instance.baseConfig() != null) {
            templateName = instance.baseConfig();
            if (!configs.containsKey(templateName)) {
                throw new InvalidResiliencePropertyException(instancePath + ".base-config", templateName,
                        "must name a template configured under '" + prefix + ".configs' (configured templates: "
                                + configs.keySet() + ")");
            }
        }
        P template = configs.get(templateName);
        String templatePath = prefix + ".configs" + element(templateName);
        String defaultOrigin = instance == null && template != null ? templatePath : instancePath;
        return new LayeredSettings<>(instance, instancePath, template, templatePath, defaultOrigin);
    }

    /** The settings of the template {@code name} of {@code kind} alone over the built-in defaults. */
    static <P extends KindProperties.Layer> LayeredSettings<P> ofTemplate(KindProperties<P, ?> kind, String name) {
        String prefix = kind.prefix();
        P template = kind.configs().get(name);
        String templatePath = prefix + ".configs" + element(name);
        if (template != null && template.baseConfig() != null) {
            throw new InvalidResiliencePropertyException(templatePath + ".base-config", template.baseConfig(),
                    "must not be set on a template (base-config is only supported on instances, "
                            + "under '" + prefix + ".instances.<name>')");
        }
        return new LayeredSettings<>(null, null, template, templatePath, templatePath);
    }

    /** Applies the key's value, when one of the layers sets it, to {@code setter}. */
    <T> void apply(String key, Function<P, T> getter, Consumer<? super T> setter) {
        T value = lookup(key, getter);
        if (value != null) {
            setter.accept(value);
        }
    }

    /** The key's value from the layers, or {@code defaultValue} when none sets it. */
    <T> T resolve(String key, Function<P, T> getter, T defaultValue) {
        T value = lookup(key, getter);
        return value != null ? value : defaultValue;
    }

    /**
     * Applies a list of exception classes, checking each is a {@link Throwable}: the binder converts any
     * class name it can load, whatever the list's declared element type.
     */
    void applyExceptions(String key, Function<P, List<Class<? extends Throwable>>> getter,
            Consumer<List<Class<? extends Throwable>>> setter) {
        List<Class<? extends Throwable>> classes = lookup(key, getter);
        if (classes == null) {
            return;
        }
        for (int i = 0; i < classes.size(); i++) {
            Class<?> type = classes.get(i);
            if (type == null || !Throwable.class.isAssignableFrom(type)) {
                throw new InvalidResiliencePropertyException(origins.get(key), type,
                        "must name only exception classes (subclasses of java.lang.Throwable)", null, i);
            }
        }
        setter.accept(classes);
    }

    /** The property path the key's value came from, once it was looked up (and set by a layer). */
    String originOf(String key) {
        return origins.getOrDefault(key, defaultOriginPath + "." + key);
    }

    /**
     * The value of the key when the most specific layer sets it itself: the instance, or the template when a
     * template is resolved alone; {@code null} when only an inherited template sets it (or nothing does).
     */
    <T> T ownValue(Function<P, T> getter) {
        P own = instancePath != null ? instance : template;
        return own != null ? getter.apply(own) : null;
    }

    /** The property path of the key in the most specific layer (see {@link #ownValue}). */
    String ownProperty(String key) {
        return (instancePath != null ? instancePath : templatePath) + "." + key;
    }

    /** Checks that the key's resolved value is at least {@code minimum}, naming where it came from. */
    int atLeast(String key, int value, int minimum) {
        if (value < minimum) {
            throw rejected(key, value, "must be at least " + minimum);
        }
        return value;
    }

    /** Checks that the key's resolved value is at most {@code maximum}, naming where it came from. */
    int atMost(String key, int value, int maximum) {
        if (value > maximum) {
            throw rejected(key, value, "must be at most " + maximum);
        }
        return value;
    }

    /** Builds the core config, turning its {@link InvalidConfigException} into one that names the property path. */
    <C> C build(Supplier<C> build) {
        try {
            return build.get();
        }
        catch (InvalidConfigException ex) {
            Object value = values.containsKey(ex.getKey()) ? values.get(ex.getKey()) : ex.getValue();
            throw rejected(ex.getKey(), value, ex.getReason(), ex);
        }
    }

    private <T> T lookup(String key, Function<P, T> getter) {
        T value = null;
        String origin = null;
        if (instance != null) {
            value = getter.apply(instance);
            origin = instancePath;
        }
        if (value == null && template != null) {
            value = getter.apply(template);
            origin = templatePath;
        }
        if (value != null) {
            origins.put(key, origin + "." + key);
            values.put(key, value);
        }
        return value;
    }

    /** The rejection of a key's resolved value, naming the place it came from (or where it would be set). */
    InvalidResiliencePropertyException rejected(String key, Object value, String reason) {
        return rejected(key, value, reason, null);
    }

    /**
     * A value no layer set (a built-in default that conflicts with another setting) is reported at the
     * place where the user would set it: the instance, or the template being validated.
     */
    private InvalidResiliencePropertyException rejected(String key, Object value, String reason, Throwable cause) {
        String property = origins.getOrDefault(key, defaultOriginPath + "." + key);
        return new InvalidResiliencePropertyException(property, value, reason, cause);
    }

    /**
     * A map key appended to a property path the way Spring Boot writes it: {@code .partner}, or in brackets
     * without a dot before them when it holds characters such as a dot ({@code instances[PartnerClient.fetch]}).
     */
    static String element(String name) {
        return name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_')
                ? "." + name : "[" + name + "]";
    }
}
