package dev.resilience.autoconfigure;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import java.io.IOException;
import java.io.UncheckedIOException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared fixtures: a context that binds and validates every kind, and a binder for direct tests. */
final class SettingsTestSupport {

    private SettingsTestSupport() {
    }

    static ApplicationContextRunner runner() {
        return new ApplicationContextRunner().withUserConfiguration(SettingsConfiguration.class);
    }

    /** Binds {@code type} from {@code key=value} pairs, the way the context does, without a context. */
    static <T> T bind(Class<T> type, String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            map.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        String prefix = type.getAnnotation(ConfigurationProperties.class).value();
        return new Binder(new MapConfigurationPropertySource(map)).bindOrCreate(prefix, type);
    }

    /**
     * Loads a YAML file of the test class path as Spring Boot loads application.yml: below the other property sources
     * (environment variables override it), its origins with a line and column.
     */
    static ApplicationContextInitializer<ConfigurableApplicationContext> yaml(String location) {
        return context -> {
            try {
                new YamlPropertySourceLoader().load(location, new ClassPathResource(location))
                        .forEach(context.getEnvironment().getPropertySources()::addLast);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        };
    }

    /** Environment variables, as the operating system would give them. */
    static ApplicationContextInitializer<ConfigurableApplicationContext> environmentVariables(Map<String, Object> variables) {
        return context -> context.getEnvironment().getPropertySources().replace(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
    }

    /** The first {@link InvalidResiliencePropertyException} in the cause chain of {@code failure}. */
    static InvalidResiliencePropertyException invalidProperty(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidResiliencePropertyException invalid) {
                return invalid;
            }
        }
        throw new AssertionError("no InvalidResiliencePropertyException in the cause chain of " + failure, failure);
    }

    /** The messages of {@code failure} and all its causes, one a line. */
    static String messages(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.add(t.getClass().getName() + ": " + t.getMessage());
        }
        return String.join("\n", messages);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({CircuitBreakerProperties.class, RetryProperties.class, TimeoutProperties.class,
            BulkheadProperties.class, RateLimiterProperties.class})
    static class SettingsConfiguration {

        @Bean
        InitializingBean resilienceSettingsValidation(CircuitBreakerProperties circuitBreaker, RetryProperties retry,
                TimeoutProperties timeout, BulkheadProperties bulkhead, RateLimiterProperties rateLimiter) {
            return () -> {
                circuitBreaker.validate();
                retry.validate();
                timeout.validate();
                bulkhead.validate();
                rateLimiter.validate();
            };
        }
    }
}
