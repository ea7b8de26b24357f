package dev.resilience.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.resilience.actuate.FleetHealthIndicator;
import dev.resilience.fleet.FleetConnection;
import dev.resilience.fleet.RedisServer;
import io.lettuce.core.RedisClient;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static dev.resilience.autoconfigure.SettingsTestSupport.invalidProperty;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** When fleet mode is on, what it is made of, and its settings checked (a bad one fails the start, naming it). */
class ResilienceFleetAutoConfigurationTest {

    private static final RedisServer redis = RedisServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class, DataRedisAutoConfiguration.class,
                    ResilienceFleetAutoConfiguration.class))
            .withPropertyValues("spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                    "spring.application.name=orders");

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetConnection.class)
                .doesNotHaveBean(FleetProperties.class).doesNotHaveBean(FleetHealthIndicator.class));
        runner.withPropertyValues("resilience.fleet.enabled=false", "resilience.fleet.command-timeout=20ms")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FleetConnection.class));
    }

    @Test
    void onItConnectsThroughTheApplicationsLettuceClientWithTheDefaults() {
        runner.withPropertyValues("resilience.fleet.enabled=true").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(FleetConnection.class)
                    .hasSingleBean(FleetHealthIndicator.class);
            FleetConnection fleet = context.getBean(FleetConnection.class);
            assertThat(fleet.settings().keyPrefix()).isEqualTo("resilience:orders:");
            assertThat(fleet.settings().commandTimeout()).isEqualTo(Duration.ofMillis(50));
            assertThat(fleet.settings().reconcileInterval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(fleet.settings().instanceId()).contains(":" + ProcessHandle.current().pid() + ":");
            await().atMost(Duration.ofSeconds(10)).until(fleet::isAvailable);
            assertThat(fleet.execute(redis -> redis.ping()).get()).isEqualTo("PONG");
        });
    }

    @Test
    void eachContextIsAnInstanceOfItsOwn() {
        runner.withPropertyValues("resilience.fleet.enabled=true").run(one -> runner
                .withPropertyValues("resilience.fleet.enabled=true").run(two -> assertThat(
                        one.getBean(FleetConnection.class).settings().instanceId())
                        .isNotEqualTo(two.getBean(FleetConnection.class).settings().instanceId())));
    }

    @Test
    void theSettingsAreBoundAndTheApplicationNameFilledIn() {
        runner.withPropertyValues("resilience.fleet.enabled=true", "resilience.fleet.key-prefix=shop:{spring.application.name}/",
                "resilience.fleet.command-timeout=20ms", "resilience.fleet.reconcile-interval=250ms",
                "resilience.fleet.instance-id=pod-7").run(context -> {
                    FleetConnection fleet = context.getBean(FleetConnection.class);
                    assertThat(fleet.settings().keyPrefix()).isEqualTo("shop:orders/");
                    assertThat(fleet.settings().commandTimeout()).isEqualTo(Duration.ofMillis(20));
                    assertThat(fleet.settings().reconcileInterval()).isEqualTo(Duration.ofMillis(250));
                    assertThat(fleet.settings().instanceId()).isEqualTo("pod-7");
                });
    }

    @Test
    void withoutAnApplicationNameTheDefaultPrefixFailsTheStartButAnExplicitOneWorks() {
        ApplicationContextRunner unnamed = runner.withPropertyValues("spring.application.name=",
                "resilience.fleet.enabled=true");
        unnamed.run(context -> {
            InvalidResiliencePropertyException failure = invalidProperty(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo("resilience.fleet.key-prefix");
            assertThat(failure.getMessage()).contains("spring.application.name");
        });
        unnamed.withPropertyValues("resilience.fleet.key-prefix=billing:").run(context -> assertThat(
                context.getBean(FleetConnection.class).settings().keyPrefix()).isEqualTo("billing:"));
    }

    @Test
    void badValuesFailTheStartNamingTheProperty() {
        assertRejected("resilience.fleet.command-timeout=0ms", "resilience.fleet.command-timeout",
                "must be between 1ms and 10s");
        assertRejected("resilience.fleet.command-timeout=1m", "resilience.fleet.command-timeout",
                "must be between 1ms and 10s");
        assertRejected("resilience.fleet.reconcile-interval=1ms", "resilience.fleet.reconcile-interval",
                "must be between 10ms and 1h");
        assertRejected("resilience.fleet.key-prefix=a b", "resilience.fleet.key-prefix", "white space");
        assertRejected("resilience.fleet.instance-id= ", "resilience.fleet.instance-id", "must not be empty");
    }

    @Test
    void anUnknownKeyOrANonBooleanSwitchFailsTheStart() {
        runner.withPropertyValues("resilience.fleet.enabled=true", "resilience.fleet.comand-timeout=20ms")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("resilience.fleet.comand-timeout=20ms")
                .run(context -> assertThat(context).hasFailed());
        runner.withPropertyValues("resilience.fleet.enabled=maybe").run(context -> assertThat(context).hasFailed());
    }

    @Test
    void withoutLettuceOnTheClassPathTurningItOnFailsTheStart() {
        runner.withClassLoader(new FilteredClassLoader(RedisClient.class))
                .withPropertyValues("resilience.fleet.enabled=true").run(context -> {
                    InvalidResiliencePropertyException failure = invalidProperty(context.getStartupFailure());
                    assertThat(failure.getProperty()).isEqualTo("resilience.fleet.enabled");
                    assertThat(failure.getMessage()).contains("spring-boot-starter-data-redis");
                });
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class,
                        ResilienceFleetAutoConfiguration.class))
                .withPropertyValues("resilience.fleet.enabled=true", "spring.application.name=orders").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasMessageContaining("RedisConnectionFactory");
                });
    }

    @Test
    void redisDownAtTheStartDoesNotFailIt() {
        RedisServer stopped = RedisServer.start();
        stopped.kill();
        try {
            runner.withPropertyValues("resilience.fleet.enabled=true", "spring.data.redis.port=" + stopped.port())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        FleetConnection fleet = context.getBean(FleetConnection.class);
                        await().atMost(Duration.ofSeconds(10)).until(() -> fleet.status().since() != null);
                        assertThat(fleet.status().reachable()).isFalse();
                        assertThat(fleet.status().error()).contains("Connection refused");
                    });
        } finally {
            stopped.close();
        }
    }

    @Test
    void theHealthComponentHasItsSwitchAndBeansBackOff() {
        runner.withPropertyValues("resilience.fleet.enabled=true", "management.health.fleet.enabled=false")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FleetConnection.class)
                        .doesNotHaveBean(FleetHealthIndicator.class));
    }

    private void assertRejected(String pair, String property, String reason) {
        runner.withPropertyValues("resilience.fleet.enabled=true", pair).run(context -> {
            InvalidResiliencePropertyException failure = invalidProperty(context.getStartupFailure());
            assertThat(failure.getProperty()).isEqualTo(property);
            assertThat(failure.getMessage()).contains(reason);
        });
    }
}
