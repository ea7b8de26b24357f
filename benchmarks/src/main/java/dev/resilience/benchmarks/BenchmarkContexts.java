package dev.resilience.benchmarks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import dev.resilience.fleet.FleetConnection;
import dev.resilience.fleet.RedisServer;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.resilience.annotation.EnableResilientMethods;

/**
 * One minimal non-web Spring Boot context per side, so that the libraries never see each other's beans: in each,
 * the other libraries' auto-configuration is off ({@code resilience.enabled=false}, Resilience4j's
 * auto-configuration classes excluded, Spring's resilient methods enabled only on the Spring side).
 *
 * <p>Settings are the same on every side, and equal to both libraries' defaults, written out so that the
 * comparison does not depend on a default changing: a count-based breaker window of 100 calls that decides
 * after 100, 3 attempts 500 ms apart, 25 concurrent calls with no waiting, a 1 s timeout (Resilience4j's time limiter,
 * for its Mono methods) that cancels what runs. The rate limiters (not at their defaults, which refuse from 50 calls
 * in 500 ns) permit 10^9 calls a second, waiting up to 5 s: far more than a benchmark thread makes, so every call takes
 * a permit at once.
 */
public final class BenchmarkContexts {

    private static final String RESILIENCE4J_PREFIX = "io.github.resilience4j.";

    /** Permits a second of both sides' rate limiters: never reached, so no call is refused or waits. */
    static final String RATE_LIMIT = "1000000000";

    private BenchmarkContexts() {
    }

    /** Our annotations only. */
    public static ConfigurableApplicationContext ours() {
        Map<String, Object> properties = common();
        properties.put("spring.autoconfigure.exclude", resilience4jAutoConfigurations());
        properties.put("resilience.circuitbreaker.configs.default.sliding-window-type", "COUNT_BASED");
        properties.put("resilience.circuitbreaker.configs.default.sliding-window-size", "100");
        properties.put("resilience.circuitbreaker.configs.default.minimum-number-of-calls", "100");
        properties.put("resilience.retry.configs.default.max-attempts", "3");
        properties.put("resilience.retry.configs.default.wait-duration", "500ms");
        properties.put("resilience.retry.instances.budgeted.budget.ratio", "0.1");
        properties.put("resilience.bulkhead.configs.default.max-concurrent-calls", "25");
        properties.put("resilience.bulkhead.configs.default.max-wait-duration", "0");
        properties.put("resilience.bulkhead.instances.adaptiveBulkhead.type", "adaptive");
        properties.put("resilience.timeout.configs.default.timeout-duration", "1s");
        properties.put("resilience.ratelimiter.configs.default.limit-for-period", RATE_LIMIT);
        properties.put("resilience.ratelimiter.configs.default.limit-refresh-period", "1s");
        properties.put("resilience.ratelimiter.configs.default.timeout-duration", "5s");
        return start(OursApplication.class, properties);
    }

    /** Resilience4j's annotations only. */
    public static ConfigurableApplicationContext resilience4j() {
        Map<String, Object> properties = common();
        properties.put("resilience.enabled", "false");
        properties.put("resilience4j.circuitbreaker.configs.default.sliding-window-type", "COUNT_BASED");
        properties.put("resilience4j.circuitbreaker.configs.default.sliding-window-size", "100");
        properties.put("resilience4j.circuitbreaker.configs.default.minimum-number-of-calls", "100");
        properties.put("resilience4j.retry.configs.default.max-attempts", "3");
        properties.put("resilience4j.retry.configs.default.wait-duration", "500ms");
        properties.put("resilience4j.bulkhead.configs.default.max-concurrent-calls", "25");
        properties.put("resilience4j.bulkhead.configs.default.max-wait-duration", "0");
        properties.put("resilience4j.timelimiter.configs.default.timeout-duration", "1s");
        properties.put("resilience4j.timelimiter.configs.default.cancel-running-future", "true");
        properties.put("resilience4j.ratelimiter.configs.default.limit-for-period", RATE_LIMIT);
        properties.put("resilience4j.ratelimiter.configs.default.limit-refresh-period", "1s");
        properties.put("resilience4j.ratelimiter.configs.default.timeout-duration", "5s");
        return start(Resilience4jApplication.class, properties);
    }

    /** Spring Framework's {@code @Retryable} and {@code @ConcurrencyLimit} only. */
    public static ConfigurableApplicationContext spring() {
        Map<String, Object> properties = common();
        properties.put("resilience.enabled", "false");
        properties.put("spring.autoconfigure.exclude", resilience4jAutoConfigurations());
        return start(SpringResilienceApplication.class, properties);
    }

    /** No resilience library at all: the plain bean and the same bean behind a no-op advice. */
    public static ConfigurableApplicationContext baseline() {
        Map<String, Object> properties = common();
        properties.put("resilience.enabled", "false");
        properties.put("spring.autoconfigure.exclude", resilience4jAutoConfigurations());
        return start(BaselineApplication.class, properties);
    }

    /**
     * Our annotations in fleet mode on {@code redis}, with {@code settings} on top; answers once the fleet's
     * connection is up, so that no measured call meets Redis still connecting.
     */
    static ConfigurableApplicationContext fleet(Class<?> application, RedisServer redis, Map<String, Object> settings) {
        Map<String, Object> properties = common();
        properties.put("spring.autoconfigure.exclude", resilience4jAutoConfigurations());
        properties.put("spring.application.name", "benchmarks");
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", redis.port());
        properties.put("resilience.fleet.enabled", "true");
        properties.putAll(settings);
        ConfigurableApplicationContext context = start(application, properties);
        FleetConnection fleet = context.getBean(FleetConnection.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!fleet.isAvailable()) {
            if (System.nanoTime() > deadline) {
                context.close();
                throw new IllegalStateException("fleet mode did not connect to " + redis.url());
            }
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        return context;
    }

    private static Map<String, Object> common() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.main.log-startup-info", "false");
        properties.put("logging.level.root", "WARN");
        return properties;
    }

    private static ConfigurableApplicationContext start(Class<?> application, Map<String, Object> properties) {
        return new SpringApplicationBuilder(application)
                .web(WebApplicationType.NONE)
                .properties(properties)
                .run();
    }

    /** Read from the class path rather than listed, so that a new Resilience4j version cannot slip one in. */
    static String resilience4jAutoConfigurations() {
        String names = ImportCandidates.load(AutoConfiguration.class, BenchmarkContexts.class.getClassLoader())
                .getCandidates().stream()
                .filter(name -> name.startsWith(RESILIENCE4J_PREFIX))
                .collect(Collectors.joining(","));
        if (names.isEmpty()) {
            throw new IllegalStateException("No Resilience4j auto-configuration found on the class path: "
                    + "in a shaded jar the AutoConfiguration.imports files were not merged");
        }
        return names;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class OursApplication {

        @Bean
        OurService ourService() {
            return new OurService();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Resilience4jApplication {

        @Bean
        Resilience4jService resilience4jService() {
            return new Resilience4jService();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableResilientMethods
    static class SpringResilienceApplication {

        @Bean
        SpringResilienceService springResilienceService() {
            return new SpringResilienceService();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BaselineApplication {

        @Bean
        PlainService plainService() {
            return new PlainService();
        }

        /** A class proxy (as every side gets) whose only advice does nothing but proceed. */
        @Bean
        PlainService noopProxy() {
            ProxyFactory factory = new ProxyFactory(new PlainService());
            factory.setProxyTargetClass(true);
            factory.addAdvice((MethodInterceptor) invocation -> invocation.proceed());
            return (PlainService) factory.getProxy(BaselineApplication.class.getClassLoader());
        }
    }
}
