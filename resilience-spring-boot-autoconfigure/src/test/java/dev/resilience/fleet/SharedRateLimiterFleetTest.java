package dev.resilience.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.resilience.annotation.RateLimiter;
import dev.resilience.core.RateLimitExceededException;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three application contexts, the instances of one service, sharing one real redis-server: a {@code @RateLimiter}
 * marked {@code shared: true} admits exactly its limit for the fleet, goes on with local shares when Redis is killed
 * (no call fails because of it) and shares its count again once Redis is back; another application never shares it.
 */
class SharedRateLimiterFleetTest {

    private static final RedisServer redis = RedisServer.start();

    private final List<ConfigurableApplicationContext> contexts = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(24);

    @AfterEach
    void closeAll() throws InterruptedException {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        contexts.forEach(ConfigurableApplicationContext::close);
        if (!redis.isRunning()) {
            redis.restart();
        }
        redis.command("FLUSHALL");
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void theFleetAdmitsExactlyItsLimitAcross3InstancesAnd8ThreadsEach() throws Exception {
        // a generous command timeout: on a loaded machine a 50ms one could send a decision to the local share
        List<Partner> instances = List.of(start("orders", 100, "2s", true), start("orders", 100, "2s", false),
                start("orders", 100, "2s", false));

        Tally tally = new Tally();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (Partner partner : instances) {
            for (int t = 0; t < 8; t++) {
                running.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 25; i++) {
                        tally.call(partner);
                    }
                    return null;
                }));
            }
        }
        go.countDown();
        for (Future<?> thread : running) {
            thread.get(60, TimeUnit.SECONDS);
        }

        assertThat(tally.failures).isEmpty();
        assertThat(tally.permitted.get()).isEqualTo(100);
        assertThat(tally.refused.get()).isEqualTo(3 * 8 * 25 - 100);

        // over real HTTP: the endpoint of the first instance shows the limiter as shared
        int port = Integer.parseInt(contexts.get(0).getEnvironment().getProperty("local.server.port"));
        String body = RestClient.create("http://127.0.0.1:" + port).get().uri("/actuator/ratelimiters/partner")
                .retrieve().body(String.class);
        assertThat(JsonPath.<Boolean>read(body, "$.settings.shared")).isTrue();
        assertThat(JsonPath.<Integer>read(body, "$.settings.limitForPeriod")).isEqualTo(100);
        // and its meters count the calls of that instance, as a local limiter's do
        String permitted = RestClient.create("http://127.0.0.1:" + port).get()
                .uri("/actuator/metrics/resilience.ratelimiter.calls?tag=name:partner&tag=kind:permitted")
                .retrieve().body(String.class);
        assertThat(JsonPath.<Double>read(permitted, "$.measurements[0].value"))
                .isEqualTo((double) tally.permittedBy(instances.get(0)));
    }

    @Test
    void redisKilledMidRunFailsNoCallAndTheSharedCountResumesOnceItIsBack() throws Exception {
        // a command timeout that no load makes fire: the outage must be the kill's alone
        List<Partner> instances = List.of(start("orders", 30, "1s", false), start("orders", 30, "1s", false),
                start("orders", 30, "1s", false));
        List<FleetConnection> fleets = contexts.stream().map(context -> context.getBean(FleetConnection.class)).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleets.stream().allMatch(f -> f.knownInstances() == 3));

        // calls run on every instance while Redis is killed under them
        Tally duringOutage = new Tally();
        AtomicBoolean calling = new AtomicBoolean(true);
        List<Future<?>> running = new ArrayList<>();
        for (Partner partner : instances) {
            for (int t = 0; t < 8; t++) {
                running.add(threads.submit(() -> {
                    while (calling.get()) {
                        duringOutage.call(partner);
                    }
                    return null;
                }));
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> duringOutage.refused.get() > 0);
        redis.kill();
        await().atMost(Duration.ofSeconds(10)).until(() -> fleets.stream().noneMatch(FleetConnection::isAvailable));
        await().atMost(Duration.ofSeconds(10)).until(() -> duringOutage.refused.get() > 500);
        calling.set(false);
        for (Future<?> thread : running) {
            thread.get(30, TimeUnit.SECONDS);
        }
        assertThat(duringOutage.failures).as("no protected call fails because of Redis").isEmpty();
        // before the kill the fleet shared 30; in the outage each instance took its share, 30 / 3 known instances
        assertThat(duringOutage.permitted.get()).isEqualTo(30 + 3 * 10);
        for (Partner partner : instances) {
            assertThat(duringOutage.permittedBy(partner)).isLessThanOrEqualTo(30 + 10);
        }

        redis.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> fleets.stream().allMatch(FleetConnection::isAvailable));

        // the restarted (empty) Redis counts for the fleet again: exactly 30 more, however the calls are spread
        Tally afterwards = new Tally();
        for (int i = 0; i < 40; i++) {
            for (Partner partner : instances) {
                afterwards.call(partner);
            }
        }
        assertThat(afterwards.failures).isEmpty();
        assertThat(afterwards.permitted.get()).isEqualTo(30);
    }

    @Test
    void twoApplicationsWithDifferentNamesNeverShareALimit() {
        Partner orders = start("orders", 5, "2s", false);
        Partner billing = start("billing", 5, "2s", false);

        Tally tally = new Tally();
        for (int i = 0; i < 10; i++) {
            tally.call(orders);
            tally.call(billing);
        }
        assertThat(tally.permittedBy(orders)).isEqualTo(5);
        assertThat(tally.permittedBy(billing)).isEqualTo(5);
        assertThat(redis.command("EXISTS", "resilience:orders:ratelimiter:{partner}")).isEqualTo(":1");
        assertThat(redis.command("EXISTS", "resilience:billing:ratelimiter:{partner}")).isEqualTo(":1");
    }

    private Partner start(String application, int limit, String commandTimeout, boolean web) {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SharedLimitApplication.class)
                .web(web ? WebApplicationType.SERVLET : WebApplicationType.NONE)
                .properties("spring.application.name=" + application, "server.port=0",
                        "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redis.port(),
                        "management.endpoints.web.exposure.include=ratelimiters,metrics",
                        "resilience.fleet.enabled=true", "resilience.fleet.command-timeout=" + commandTimeout,
                        "resilience.fleet.reconcile-interval=100ms",
                        "resilience.ratelimiter.instances.partner.shared=true",
                        "resilience.ratelimiter.instances.partner.limit-for-period=" + limit,
                        "resilience.ratelimiter.instances.partner.limit-refresh-period=1h",
                        "resilience.ratelimiter.instances.partner.timeout-duration=0")
                .run();
        contexts.add(context);
        FleetConnection fleet = context.getBean(FleetConnection.class);
        await().atMost(Duration.ofSeconds(10)).until(fleet::isAvailable);
        return context.getBean(Partner.class);
    }

    /** What the calls got: a permit, a refusal by the limiter, or anything else (which must not happen). */
    private static final class Tally {

        final AtomicInteger permitted = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final Map<Partner, AtomicInteger> byInstance = new ConcurrentHashMap<>();

        void call(Partner partner) {
            try {
                partner.call();
                permitted.incrementAndGet();
                byInstance.computeIfAbsent(partner, p -> new AtomicInteger()).incrementAndGet();
            } catch (RateLimitExceededException refusal) {
                refused.incrementAndGet();
            } catch (RuntimeException failure) {
                failures.add(failure);
            }
        }

        int permittedBy(Partner partner) {
            AtomicInteger count = byInstance.get(partner);
            return count == null ? 0 : count.get();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SharedLimitApplication {

        @Bean
        Partner partner() {
            return new Partner();
        }
    }

    static class Partner {

        @RateLimiter("partner")
        public String call() {
            return "ok";
        }
    }
}
