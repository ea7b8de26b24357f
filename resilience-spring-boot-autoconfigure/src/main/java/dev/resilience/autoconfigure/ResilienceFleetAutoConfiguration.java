package dev.resilience.autoconfigure;

import java.time.Clock;

import dev.resilience.actuate.FleetHealthIndicator;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import dev.resilience.core.circuitbreaker.CircuitBreakerFleet;
import dev.resilience.fleet.FleetConnection;
import dev.resilience.fleet.SharedRateLimiter;
import dev.resilience.fleet.RedisCircuitBreakerFleet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Fleet mode ({@code resilience.fleet.enabled=true}): the {@link FleetConnection} every shared kind uses, opened from
 * the application's own {@link LettuceConnectionFactory} (Spring Boot's, configured by {@code spring.data.redis.*}),
 * the shared rate limiters ({@link SharedRateLimiterFactory}) and the {@code fleet} health component. Without Spring Data Redis and Lettuce on the class path, or with another
 * Redis client (Jedis), turning fleet mode on fails the start, naming {@code resilience.fleet.enabled}.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnResilienceEnabled
@Conditional(OnFleetEnabledCondition.class)
@EnableConfigurationProperties(FleetProperties.class)
public final class ResilienceFleetAutoConfiguration {

    static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";
    static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {LETTUCE_CLIENT, LETTUCE_FACTORY})
    static class RedisFleetConfiguration {

        /**
         * Connects in the background once the context has started ({@link FleetLifecycle}): the start neither waits
         * for Redis nor fails when it is down.
         */
        @Bean
        @ConditionalOnMissingBean
        public FleetConnection resilienceFleetConnection(FleetProperties properties,
                RedisConnectionFactory factory, Scheduler scheduler, Ticker ticker, Environment environment) {
            // injected, not looked up, so that the context closes the fleet's connections before the client
            if (!(factory instanceof LettuceConnectionFactory lettuce)) {
                throw new InvalidResiliencePropertyException(FleetProperties.ENABLED, true, "needs Spring Data "
                        + "Redis's Lettuce connection factory (spring-boot-starter-data-redis, configured by "
                        + "spring.data.redis.*), found " + factory.getClass().getName());
            }
            return new FleetConnection(lettuce.getRequiredNativeClient(), properties.toSettings(environment), scheduler,
                    ticker, Clock.systemUTC());
        }

        /** The rate limiters marked {@code shared: true}. */
        @Bean
        @ConditionalOnMissingBean
        public SharedRateLimiterFactory resilienceSharedRateLimiterFactory(FleetConnection fleet, Ticker ticker,
                Scheduler scheduler) {
            return (name, config) -> SharedRateLimiter.create(name, config, fleet, ticker, scheduler);
        }

        @Bean
        FleetLifecycle resilienceFleetLifecycle(FleetConnection fleet, RedisConnectionFactory factory) {
            int phase = (factory instanceof SmartLifecycle lifecycle) ? lifecycle.getPhase() : 0;
            return new FleetLifecycle(fleet, phase == Integer.MAX_VALUE ? phase : phase + 1);
        }

        /**
         * Where the breakers marked {@code shared: true} exchange their transitions; the circuit breaker registry
         * builds a shared breaker for them when this bean exists.
         */
        @Bean
        @ConditionalOnMissingBean
        public CircuitBreakerFleet resilienceCircuitBreakerFleet(FleetConnection fleet, Scheduler scheduler) {
            return new RedisCircuitBreakerFleet(fleet, scheduler);
        }

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
        static class FleetHealthConfiguration {

            /** The bean name makes the component's: {@code fleet}. */
            @Bean
            @ConditionalOnEnabledHealthIndicator("fleet")
            @ConditionalOnMissingBean(name = "fleetHealthIndicator")
            public FleetHealthIndicator fleetHealthIndicator(FleetConnection fleet) {
                return new FleetHealthIndicator(fleet);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(RedisClassesMissing.class)
    static class MissingRedisConfiguration {

        @Bean
        Object resilienceFleetWithoutRedis() {
            throw new InvalidResiliencePropertyException(FleetProperties.ENABLED, true, "needs Spring Data Redis "
                    + "and Lettuce on the class path: add spring-boot-starter-data-redis");
        }
    }

    /** Either of the classes fleet mode needs is missing. */
    static class RedisClassesMissing extends NoneNestedConditions {

        RedisClassesMissing() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = {LETTUCE_CLIENT, LETTUCE_FACTORY})
        static class RedisClassesPresent {
        }
    }

    /**
     * Starts the fleet connection with the context, and stops it before the Lettuce connection factory stops (a
     * phase after the factory's, so stopped first): its connections and presence entry go before the client does.
     */
    static final class FleetLifecycle implements SmartLifecycle {

        private final FleetConnection fleet;
        private final int phase;
        private volatile boolean running;

        FleetLifecycle(FleetConnection fleet, int phase) {
            this.fleet = fleet;
            this.phase = phase;
        }

        @Override
        public void start() {
            fleet.start();
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            fleet.close();
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return phase;
        }
    }
}
