package dev.resilience.autoconfigure;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.json.JsonParserFactory;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.StreamUtils;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keys some settings accept, as a tree of names: taken from the types they are bound to (records, JavaBeans,
 * maps of them, lists) and from configuration metadata. Tells whether a name is one of them and, for a name that is
 * not, which known key is closest: element by element, each element that matches no key replaced by the key
 * within a few edits of it. Names are compared as Spring Boot's relaxed binding compares them
 * ({@code failureRateThreshold}, {@code failure_rate_threshold} and {@code failure-rate-threshold} are one key).
 */
final class KnownKeys {

    /** The metadata files of every jar on the class path: the generated one, and the hand-written additions. */
    private static final List<String> METADATA = List.of("META-INF/spring-configuration-metadata.json",
            "META-INF/additional-spring-configuration-metadata.json");

    private static final int MAX_DEPTH = 12;

    private final Node root = new Node();

    /** The keys that binding {@code type} under {@code prefix} accepts: its properties, its maps' and lists' elements. */
    KnownKeys add(String prefix, ResolvableType type) {
        walk(node(prefix), type, 0);
        return this;
    }

    /**
     * One property; when {@code open} (a map or a list), any name below it too, for the map's keys or the list's
     * elements are the user's.
     */
    KnownKeys addProperty(String name, boolean open) {
        Node node = node(name);
        node.leaf = true;
        node.open |= open;
        return this;
    }

    /**
     * Every property that the configuration metadata on the class path declares under {@code prefix}. Only the
     * files that mention the prefix at all are parsed.
     */
    KnownKeys addMetadata(ClassLoader classLoader, String prefix) {
        String quoted = '"' + prefix + '.';
        for (String location : METADATA) {
            for (URL url : resources(classLoader, location)) {
                String json = read(url);
                if (!json.contains(quoted)) {
                    continue;
                }
                Object properties = JsonParserFactory.getJsonParser().parseMap(json).get("properties");
                if (!(properties instanceof List<?> list)) {
                    continue;
                }
                for (Object item : list) {
                    if (item instanceof Map<?, ?> property && property.get("name") instanceof String name
                            && name.startsWith(prefix + ".") && ConfigurationPropertyName.isValid(name)) {
                        addProperty(name, isMapOrList(String.valueOf(property.get("type"))));
                    }
                }
            }
        }
        return this;
    }

    /** Whether {@code name} is a known key, or a map key or list element below one, or on the way to one. */
    boolean contains(ConfigurationPropertyName name) {
        Node node = root;
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            Node next = node.match(name, i);
            if (next == null) {
                return node.open;
            }
            node = next;
        }
        return true;
    }

    /**
     * The known key closest to {@code name}, written out in full ({@code resilience.circuitbreaker.instances.partner
     * .failure-rate-threshold} for {@code ...partner.failure-rate-treshold}), or {@code null} when an element of it
     * is not within a few edits of any key where it stands.
     */
    String closest(ConfigurationPropertyName name) {
        StringBuilder closest = new StringBuilder();
        Node node = root;
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            Node next = node.match(name, i);
            String key = null;
            if (next == null && node.open) {
                for (int rest = i; rest < name.getNumberOfElements(); rest++) {
                    append(closest, name, rest, null);
                }
                break;
            }
            if (next == null) {
                String typed = name.getElement(i, Form.UNIFORM);
                String uniform = Suggestions.closest(typed, node.children.keySet(), Math.max(2, typed.length() / 4));
                if (uniform == null) {
                    return null;
                }
                next = node.children.get(uniform);
                key = next.key;
            }
            else if (next != node.any) {
                key = next.key;
            }
            append(closest, name, i, key);
            node = next;
        }
        return closest.toString();
    }

    /**
     * Where {@code name} leaves the known keys: the name up to there (for example
     * {@code resilience.circuitbreaker.instances.partner}) and the keys it could go on with, in order; or
     * {@code null} when the name is known.
     */
    Divergence divergence(ConfigurationPropertyName name) {
        Node node = root;
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            Node next = node.match(name, i);
            if (next == null && node.open) {
                return null;
            }
            if (next == null) {
                List<String> keys = new ArrayList<>();
                node.children.values().forEach(child -> keys.add(child.key));
                Collections.sort(keys);
                return new Divergence(written(name.chop(i)), keys);
            }
            node = next;
        }
        return null;
    }

    /** {@code name} the way it was written: the elements as in the property source, with dots and brackets. */
    static String written(ConfigurationPropertyName name) {
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            append(written, name, i, null);
        }
        return written.toString();
    }

    /** Where a name leaves the known keys, and the keys known there. */
    record Divergence(String at, List<String> keys) {
    }

    private static void append(StringBuilder path, ConfigurationPropertyName name, int i, String key) {
        if (key == null && isIndexed(name, i)) {
            path.append('[').append(name.getElement(i, Form.ORIGINAL)).append(']');
            return;
        }
        if (!path.isEmpty()) {
            path.append('.');
        }
        path.append(key != null ? key : name.getElement(i, Form.ORIGINAL));
    }

    private static boolean isIndexed(ConfigurationPropertyName name, int i) {
        return name.chop(i + 1).isLastElementIndexed();
    }

    private Node node(String name) {
        ConfigurationPropertyName parsed = ConfigurationPropertyName.of(name);
        Node node = root;
        for (int i = 0; i < parsed.getNumberOfElements(); i++) {
            node = node.child(parsed.getElement(i, Form.DASHED));
        }
        return node;
    }

    private static void walk(Node node, ResolvableType type, int depth) {
        Class<?> raw = type.resolve(Object.class);
        if (depth > MAX_DEPTH) {
            node.leaf = true;
            node.open = true;
        }
        else if (Map.class.isAssignableFrom(raw)) {
            walk(node.any(), type.asMap().getGeneric(1), depth + 1);
        }
        else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
            // a list is set whole (comma-separated) or element by element
            node.leaf = true;
            ResolvableType element = raw.isArray() ? type.getComponentType() : type.asCollection().getGeneric(0);
            walk(node.any(), element, depth + 1);
        }
        else if (raw.isRecord()) {
            RecordComponent[] components = raw.getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                walk(node.child(name(components, i, raw)), ResolvableType.forType(components[i].getGenericType()),
                        depth + 1);
            }
        }
        else if (isValue(raw)) {
            node.leaf = true;
        }
        else {
            List<PropertyDescriptor> properties = Arrays.stream(BeanUtils.getPropertyDescriptors(raw))
                    .filter(property -> property.getWriteMethod() != null
                            || (property.getReadMethod() != null && !isValue(property.getPropertyType())))
                    .filter(property -> !property.getName().equals("class"))
                    .toList();
            if (properties.isEmpty()) {
                node.leaf = true; // converted from a string as a whole
            }
            for (PropertyDescriptor property : properties) {
                ResolvableType propertyType = property.getReadMethod() != null
                        ? ResolvableType.forMethodReturnType(property.getReadMethod(), raw)
                        : ResolvableType.forMethodParameter(property.getWriteMethod(), 0, raw);
                walk(node.child(DataObjectPropertyName.toDashedForm(property.getName())), propertyType, depth + 1);
            }
        }
    }

    /** A record component's key: its {@link Name @Name} when it has one, as Spring Boot binds it. */
    private static String name(RecordComponent[] components, int index, Class<?> record) {
        Name name = components[index].getAnnotation(Name.class);
        if (name == null) {
            try {
                Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
                Constructor<?> canonical = record.getDeclaredConstructor(types);
                name = canonical.getParameters()[index].getAnnotation(Name.class);
            }
            catch (NoSuchMethodException ex) {
                // every record has its canonical constructor
            }
        }
        return DataObjectPropertyName.toDashedForm(name != null ? name.value() : components[index].getName());
    }

    private static boolean isValue(Class<?> type) {
        return ClassUtils.isPrimitiveOrWrapper(type) || type.isEnum() || type.getName().startsWith("java.")
                || type.getName().startsWith("javax.");
    }

    private static boolean isMapOrList(String type) {
        return type.startsWith("java.util.Map<") || type.startsWith("java.util.List<")
                || type.startsWith("java.util.Set<") || type.startsWith("java.util.Collection<") || type.endsWith("[]");
    }

    private static List<URL> resources(ClassLoader classLoader, String location) {
        try {
            ClassLoader loader = classLoader != null ? classLoader : ClassUtils.getDefaultClassLoader();
            return Collections.list(loader.getResources(location));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot list the configuration metadata " + location, ex);
        }
    }

    private static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return StreamUtils.copyToString(in, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read the configuration metadata " + url, ex);
        }
    }

    /** One element of a name: the keys below it by their uniform form (lower case, letters and digits only). */
    private static final class Node {

        private final String key;
        private final Map<String, Node> children = new TreeMap<>();
        /** A map's keys or a list's indexes: any element. */
        private Node any;
        /** A value can be set here. */
        private boolean leaf;
        /**
         * Any name below that matches nothing known is accepted too: a map or a list the metadata declares, of
         * elements it does not describe.
         */
        private boolean open;

        private Node() {
            this(null);
        }

        private Node(String key) {
            this.key = key;
        }

        Node child(String key) {
            return children.computeIfAbsent(uniform(key), uniform -> new Node(key));
        }

        Node any() {
            if (any == null) {
                any = new Node();
            }
            return any;
        }

        /** The node element {@code i} of {@code name} leads to, or {@code null}. */
        Node match(ConfigurationPropertyName name, int i) {
            if (!isIndexed(name, i)) {
                Node child = children.get(name.getElement(i, Form.UNIFORM));
                if (child != null) {
                    return child;
                }
            }
            return any;
        }

        private static String uniform(String key) {
            return ConfigurationPropertyName.of(key).getElement(0, Form.UNIFORM);
        }
    }
}
