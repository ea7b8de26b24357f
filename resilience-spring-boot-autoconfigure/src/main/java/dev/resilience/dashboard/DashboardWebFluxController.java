package dev.resilience.dashboard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live view on WebFlux: the page, and the two streams as a {@link Flux} of server-sent events per client.
 *
 * <p>The view's thread hands each client's frame to its {@link Mailbox} and emits it only as far as the client asks
 * (the server asks for more once a write is done), so a slow client skips to the newest frame and never piles frames
 * up. A client that goes away cancels its flux, which leaves the stream; nothing of it is left.
 */
@RestController
public class DashboardWebFluxController {

    private final LiveView liveView;
    private final DashboardPage page;

    public DashboardWebFluxController(LiveView liveView, DashboardPage page) {
        this.liveView = Objects.requireNonNull(liveView, "liveView");
        this.page = Objects.requireNonNull(page, "page");
    }

    @GetMapping(path = "${resilience.dashboard.path:/resilience/dashboard}", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> page() {
        return DashboardResponses.page(page);
    }

    @GetMapping(path = DashboardPage.STREAM_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<String>> stream() {
        return events(liveView, LiveView.Format.LIVE);
    }

    @GetMapping(path = DashboardPage.HYSTRIX_STREAM_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<String>> hystrixStream() {
        return events(liveView, LiveView.Format.HYSTRIX);
    }

    static Flux<ServerSentEvent<String>> events(LiveView liveView, LiveView.Format format) {
        return Flux.<List<StreamEvent>>create(sink -> {
            SinkReceiver receiver = new SinkReceiver(sink);
            sink.onRequest(requested -> receiver.drain());
            LiveView.Subscription subscription = liveView.subscribe(format, receiver);
            sink.onDispose(subscription::close);
        }).concatMapIterable(events -> events, 1).map(DashboardWebFluxController::sse);
    }

    private static ServerSentEvent<String> sse(StreamEvent event) {
        if (event.comment()) {
            return ServerSentEvent.<String>builder().comment(event.data()).build();
        }
        ServerSentEvent.Builder<String> builder = ServerSentEvent.builder(event.data());
        if (event.name() != null) {
            builder.event(event.name());
        }
        if (event.retryMillis() > 0) {
            builder.retry(Duration.ofMillis(event.retryMillis()));
        }
        return builder.build();
    }

    /** One client: what it has yet to get, emitted while it asks for more, by one thread at a time. */
    private static final class SinkReceiver implements LiveView.Receiver {

        private final FluxSink<List<StreamEvent>> sink;
        private final Mailbox mailbox = new Mailbox();
        private final AtomicInteger draining = new AtomicInteger();

        SinkReceiver(FluxSink<List<StreamEvent>> sink) {
            this.sink = sink;
        }

        @Override
        public void send(List<StreamEvent> events) {
            mailbox.offer(events);
            drain();
        }

        @Override
        public void close() {
            sink.complete();
        }

        void drain() {
            if (draining.getAndIncrement() != 0) {
                return;
            }
            do {
                while (sink.requestedFromDownstream() > 0 && !sink.isCancelled()) {
                    List<StreamEvent> events = mailbox.poll();
                    if (events == null) {
                        break;
                    }
                    sink.next(events);
                }
            }
            while (draining.decrementAndGet() != 0);
        }
    }
}
