package dev.resilience.fleet;

import java.time.Duration;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code fleet} health component over real HTTP, through an outage: Redis killed (SIGKILL) shows as
 * {@code REDIS_UNREACHABLE} with its start and error while the application's status stays UP (HTTP 200), the warning
 * is logged once however many commands fail, and Redis restarted on its port brings the component back UP.
 */
@SpringBootTest(classes = FleetTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.application.name=health-test", "resilience.fleet.enabled=true",
        "resilience.fleet.reconcile-interval=100ms", "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always"})
@ExtendWith(OutputCaptureExtension.class)
class FleetHealthTest {

    private static final RedisServer redis = RedisServer.start();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", redis::port);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    FleetConnection fleet;

    @Autowired
    HealthEndpoint healthEndpoint;

    @Test
    void anOutageShowsInTheComponentWithoutTakingTheApplicationDown(CapturedOutput output) {
        RestClient http = RestClient.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(10)).until(fleet::isAvailable);
        DocumentContext up = health(http);
        assertThat(up.read("$.status", String.class)).isEqualTo("UP");
        assertThat(up.read("$.components.fleet.status", String.class)).isEqualTo("UP");
        assertThat(up.read("$.components.fleet.details.redis", String.class)).isEqualTo("reachable");
        assertThat(up.read("$.components.fleet.details.keyPrefix", String.class)).isEqualTo("resilience:health-test:");
        assertThat(up.read("$.components.fleet.details.knownInstances", Integer.class)).isEqualTo(1);

        redis.kill();
        for (int i = 0; i < 20; i++) {
            fleet.execute(redis -> redis.ping());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !fleet.isAvailable());

        ResponseEntity<String> down = http.get().uri("/actuator/health").retrieve().toEntity(String.class);
        assertThat(down.getStatusCode().value()).isEqualTo(200);
        DocumentContext body = JsonPath.parse(down.getBody());
        assertThat(body.read("$.status", String.class)).isEqualTo("UP");
        assertThat(body.read("$.components.fleet.status", String.class)).isEqualTo("REDIS_UNREACHABLE");
        assertThat(body.read("$.components.fleet.details.redis", String.class)).isEqualTo("unreachable");
        assertThat(body.read("$.components.fleet.details.since", String.class)).isNotBlank();
        assertThat(body.read("$.components.fleet.details.error", String.class)).isNotBlank();
        assertThat(healthEndpoint.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(count(output, "Redis is unreachable for fleet mode")).isEqualTo(1);

        redis.restart();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "UP".equals(health(http).read("$.components.fleet.status", String.class)));
        assertThat(count(output, "Redis is unreachable for fleet mode")).isEqualTo(1);
        assertThat(count(output, "Redis answers again after")).isEqualTo(1);
    }

    private static DocumentContext health(RestClient http) {
        return JsonPath.parse(http.get().uri("/actuator/health").retrieve().body(String.class));
    }

    private static int count(CapturedOutput output, String text) {
        return output.getAll().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
}
