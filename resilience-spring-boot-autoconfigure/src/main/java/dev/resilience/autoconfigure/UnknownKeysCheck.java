package dev.resilience.autoconfigure;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.context.properties.source.UnboundElementsSourceFilter;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Fails the start on a key under {@code resilience.} that nothing binds: a misspelt kind
 * ({@code resilience.circuitbraker.*}), a kind that does not exist (yet), any other stray key. Runs before any bean is
 * created.
 * <p>
 * A key under the prefix of a {@code @ConfigurationProperties} bean ({@code resilience.circuitbreaker} and the other
 * kinds, and any the application or a later part of the starter declares) is left to that bean's binding: the kinds
 * bind with {@code ignoreUnknownFields = false}, so Spring Boot itself rejects their unknown keys. Any other key is
 * valid only as the configuration metadata on the class path declares it ({@code resilience.enabled},
 * {@code resilience.web.*}), or below a map or list it declares. So a new kind or key needs no list here: its record,
 * or its metadata, makes it known.
 * <p>
 * Like Spring Boot's own check of unknown fields, environment variables and system properties are not checked: they
 * hold the variables of everything else on the machine (Kubernetes gives a service named {@code resilience} the
 * variables {@code RESILIENCE_SERVICE_HOST} and {@code RESILIENCE_PORT}, which read as {@code resilience.*} keys).
 */
final class UnknownKeysCheck implements BeanFactoryPostProcessor {

    static final String ROOT = "resilience";

    private static final ConfigurationPropertyName ROOT_NAME = ConfigurationPropertyName.of(ROOT);

    private static final ConfigurationPropertyName ENABLED = ConfigurationPropertyName.of(OnResilienceEnabledCondition.PROPERTY);

    private final Environment environment;

    UnknownKeysCheck(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Map<ConfigurationPropertyName, ResolvableType> bound = boundPrefixes(beanFactory);
        KnownKeys declared = null;
        Set<ConfigurationProperty> unknown = new TreeSet<>();
        UnboundElementsSourceFilter checked = new UnboundElementsSourceFilter();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable) || !checked.apply(source)) {
                continue;
            }
            for (ConfigurationPropertyName name : iterable.filter(ROOT_NAME::isAncestorOf)) {
                if (ENABLED.equals(name) || bound.keySet().stream().anyMatch(prefix -> covers(prefix, name))) {
                    continue;
                }
                if (declared == null) {
                    declared = new KnownKeys().addMetadata(beanFactory.getBeanClassLoader(), ROOT);
                }
                if (!declared.contains(name)) {
                    unknown.add(iterable.getConfigurationProperty(name));
                }
            }
        }
        if (!unknown.isEmpty()) {
            KnownKeys known = new KnownKeys().addMetadata(beanFactory.getBeanClassLoader(), ROOT)
                    .addProperty(OnResilienceEnabledCondition.PROPERTY, false);
            bound.forEach((prefix, type) -> known.add(prefix.toString(), type));
            throw new UnknownResiliencePropertiesException(unknown, known);
        }
    }

    /**
     * The prefixes under {@code resilience} that {@code @ConfigurationProperties} beans bind, with their types; found
     * on the bean definitions, without creating a bean (nor a {@code FactoryBean} to learn its type).
     */
    private static Map<ConfigurationPropertyName, ResolvableType> boundPrefixes(ConfigurableListableBeanFactory beanFactory) {
        Map<ConfigurationPropertyName, ResolvableType> prefixes = new LinkedHashMap<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            ConfigurationProperties annotation;
            Class<?> type;
            try {
                annotation = beanFactory.findAnnotationOnBean(name, ConfigurationProperties.class, false);
                type = annotation != null ? beanFactory.getType(name, false) : null;
            }
            catch (RuntimeException ex) {
                continue; // a bean whose type cannot be told without creating it binds nothing we could see
            }
            ConfigurationPropertyName prefix = annotation != null ? ConfigurationPropertyName.ofIfValid(annotation.prefix()) : null;
            if (prefix != null && type != null && covers(ROOT_NAME, prefix)) {
                prefixes.put(prefix, ResolvableType.forClass(type));
            }
        }
        return prefixes;
    }

    private static boolean covers(ConfigurationPropertyName prefix, ConfigurationPropertyName name) {
        return prefix.equals(name) || prefix.isAncestorOf(name);
    }
}
