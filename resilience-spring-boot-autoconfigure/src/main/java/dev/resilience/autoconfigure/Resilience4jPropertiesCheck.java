package dev.resilience.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A start-up hint for a migration from Resilience4j: when the environment holds {@code resilience4j.*} properties
 * and nothing on the class path reads them (Resilience4j's Spring integration is absent), the start fails, with the
 * equivalent {@code resilience.*} settings printed ready to paste and each setting that does not carry over named
 * with the reason. With {@code resilience.resilience4j-properties: warn} it logs the same as a warning and starts.
 *
 * <p>Failing is the default for the reason our settings are strict: a {@code resilience4j.*} key that nothing reads
 * is the same mistake as a misspelt key, one level up. Starting anyway would run every breaker, retry and bulkhead
 * the user had tuned with the defaults instead (a breaker deciding over 100 calls, open for a minute), silently, on
 * the calls that need protection most. {@code warn} is there for an environment shared with services that still run
 * Resilience4j (a common config server, say).
 *
 * <p>It runs as a bean factory post-processor, before any bean is created, so that the migration is the first thing
 * the user is told about rather than a consequence of it.
 */
public class Resilience4jPropertiesCheck implements BeanFactoryPostProcessor, EnvironmentAware {

    /** The property that makes the check only warn. */
    static final String MODE_PROPERTY = "resilience.resilience4j-properties";

    private static final Log logger = LogFactory.getLog(Resilience4jPropertiesCheck.class);

    /** What to do on finding {@code resilience4j.*} properties that nothing reads. */
    public enum Mode {
        /** Fail the start (the default). */
        FAIL,
        /** Log a warning with the equivalent settings and start. */
        WARN
    }

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<Resilience4jMigration.Setting> settings = resilience4jSettings(environment);
        if (settings.isEmpty()) {
            return;
        }
        Mode mode = Binder.get(environment).bind(MODE_PROPERTY, Mode.class).orElse(Mode.FAIL);
        Resilience4jPropertiesFoundException found = new Resilience4jPropertiesFoundException(settings,
                Resilience4jMigration.translate(settings));
        if (mode == Mode.FAIL) {
            throw found;
        }
        logger.warn(found.getMessage() + "\n\n" + found.getAction());
    }

    /** Every {@code resilience4j.*} property of the environment, once each, where it was set with the most weight. */
    static List<Resilience4jMigration.Setting> resilience4jSettings(Environment environment) {
        List<Resilience4jMigration.Setting> settings = new ArrayList<>();
        Set<ConfigurationPropertyName> seen = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            iterable.stream().filter(Resilience4jMigration::isResilience4j).sorted().forEach(name -> {
                if (seen.add(name)) {
                    ConfigurationProperty property = iterable.getConfigurationProperty(name);
                    if (property != null) {
                        settings.add(new Resilience4jMigration.Setting(name, property.getValue(), property.getOrigin()));
                    }
                }
            });
        }
        return settings;
    }
}
