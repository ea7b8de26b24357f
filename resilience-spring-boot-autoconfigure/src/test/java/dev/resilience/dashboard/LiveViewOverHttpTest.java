package dev.resilience.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view over real HTTP, for the stack the subclass starts: the page, both streams as a client reads them,
 * and clients that come and go leaving nothing behind.
 */
abstract class LiveViewOverHttpTest {

    @LocalServerPort
    int port;

    @Autowired
    LiveView liveView;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    ApplicationContext context;

    abstract Class<? extends ApplicationContext> stack();

    @Test
    void thePageIsServedWithAPolicyThatAllowsOnlyItself() throws Exception {
        assertThat(context).isInstanceOf(stack());
        HttpResponse<String> page = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/resilience/dashboard")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/html").containsIgnoringCase("charset=UTF-8"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).startsWith("default-src 'none'").contains("script-src 'sha256-"));
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).contains("<title>Resilience live view</title>").contains("data-stream=\"stream\"");
    }

    @Test
    void theStreamStartsWithTheHistoryThenAFrameEveryInterval() throws Exception {
        try (SseSocket stream = new SseSocket(port, DashboardPage.STREAM_PATH)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            String[] history = stream.nextData();
            assertThat(history[0]).isEqualTo("history");
            assertThat(JsonPath.parse(history[1]).read("$.interval", Integer.class)).isEqualTo(100);
            long first = -1;
            for (int i = 0; i < 3; i++) {
                String[] frame = stream.nextData();
                assertThat(frame[0]).isNull();
                DocumentContext json = JsonPath.parse(frame[1]);
                long sequence = json.read("$.seq", Long.class);
                if (first < 0) {
                    first = sequence;
                }
                assertThat(sequence).isEqualTo(first + i);
                assertThat(json.read("$.instances[*].kind", List.class))
                        .containsExactly("circuitbreaker", "retry", "timeout", "bulkhead");
                assertThat(json.read("$.instances[?(@.kind == 'circuitbreaker')].name", List.class))
                        .containsExactly("partner");
            }
        }
    }

    @Test
    void theHystrixStreamSendsOneCommandPerName() throws Exception {
        try (SseSocket stream = new SseSocket(port, DashboardPage.HYSTRIX_STREAM_PATH)) {
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            String[] data = stream.nextData();
            DocumentContext command = JsonPath.parse(data[1]);
            assertThat(command.read("$.type", String.class)).isEqualTo("HystrixCommand");
            assertThat(command.read("$.name", String.class)).isEqualTo("partner");
            assertThat(command.read("$.group", String.class)).isEqualTo("dashboard-test");
            assertThat(command.read("$.isCircuitBreakerOpen", Boolean.class)).isFalse();
            assertThat(command.read("$.propertyValue_executionTimeoutInMilliseconds", Integer.class)).isEqualTo(1000);
        }
    }

    @Test
    void twoHundredClientsComeAndGoAndLeaveNothingBehind() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> liveView.subscribers(LiveView.Format.LIVE) == 0
                && liveView.subscribers(LiveView.Format.HYSTRIX) == 0);
        Set<String> before = threadNames();
        for (int i = 0; i < 200; i++) {
            LiveView.Format format = i % 2 == 0 ? LiveView.Format.LIVE : LiveView.Format.HYSTRIX;
            try (SseSocket stream = new SseSocket(port, format == LiveView.Format.LIVE
                    ? DashboardPage.STREAM_PATH : DashboardPage.HYSTRIX_STREAM_PATH)) {
                assertThat(stream.nextData()).as("client %d", i).isNotNull();
            }
        }
        // each client that went away fails its next frame, within an interval or two, and is dropped
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(liveView.subscribers(LiveView.Format.LIVE)).isZero();
            assertThat(liveView.subscribers(LiveView.Format.HYSTRIX)).isZero();
        });
        // no thread per client: besides the web server's own pool (bounded, shared by every request), what is new is
        // at most the view's two senders, gone once idle
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> added = threadNames();
            added.removeAll(before);
            added.removeIf(name -> name.startsWith("awaitility"));
            Set<String> server = added.stream().filter(name -> name.startsWith("http-nio-") || name.startsWith("reactor-"))
                    .collect(Collectors.toSet());
            added.removeAll(server);
            assertThat(added).allSatisfy(name -> assertThat(name).matches("resilience-dashboard-sender-\\d+"))
                    .hasSizeLessThanOrEqualTo(DashboardMvcController.SENDERS);
            assertThat(server).as("the server's pool, far below one thread per client").hasSizeLessThan(50);
        });
    }

    @Test
    void stoppingTheViewEndsEveryStream() throws Exception {
        try (SseSocket stream = new SseSocket(port, DashboardPage.STREAM_PATH)) {
            assertThat(stream.nextData()).isNotNull();
            liveView.stop();
            try {
                assertThat(stream.untilEnd()).as("the stream ends: the server closed the response").isNotNull();
            }
            finally {
                liveView.start();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> liveView.subscribers(LiveView.Format.LIVE) == 0);
        try (SseSocket stream = new SseSocket(port, DashboardPage.STREAM_PATH)) {
            assertThat(stream.nextData()[0]).isEqualTo("history");
            assertThat(stream.nextData()[0]).as("frames again").isNull();
        }
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toSet());
    }
}
