package dev.resilience.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live view on Spring MVC: the page, and the two streams as {@link SseEmitter}s.
 *
 * <p>Writing to a servlet response blocks while the client's socket is full, so the view's thread never writes: it
 * leaves each client's next frame in the client's {@link Mailbox} and a small pool ({@value #SENDERS} daemon threads
 * named {@code resilience-dashboard-sender-N}, gone when idle) writes it. A client that reads slowly skips to the
 * newest frame; one that went away fails its next write (within one interval) and is dropped, the servlet container
 * completing its request. The streams have no time limit of their own.
 */
@RestController
public class DashboardMvcController implements DisposableBean {

    static final int SENDERS = 2;

    private static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final LiveView liveView;
    private final DashboardPage page;
    private final ThreadPoolExecutor senders;

    public DashboardMvcController(LiveView liveView, DashboardPage page) {
        this.liveView = Objects.requireNonNull(liveView, "liveView");
        this.page = Objects.requireNonNull(page, "page");
        AtomicInteger count = new AtomicInteger();
        this.senders = new ThreadPoolExecutor(SENDERS, SENDERS, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread thread = new Thread(task, "resilience-dashboard-sender-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.senders.allowCoreThreadTimeOut(true);
    }

    @GetMapping(path = "${resilience.dashboard.path:/resilience/dashboard}", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> page() {
        return DashboardResponses.page(page);
    }

    @GetMapping(path = DashboardPage.STREAM_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter stream() {
        return emitter(LiveView.Format.LIVE);
    }

    @GetMapping(path = DashboardPage.HYSTRIX_STREAM_PATH, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter hystrixStream() {
        return emitter(LiveView.Format.HYSTRIX);
    }

    private SseEmitter emitter(LiveView.Format format) {
        SseEmitter emitter = new SseEmitter(0L); // no time limit: a stream lasts as long as its client listens
        EmitterReceiver receiver = new EmitterReceiver(emitter, senders);
        emitter.onCompletion(receiver::end);
        emitter.onTimeout(receiver::end);
        emitter.onError(error -> receiver.end());
        receiver.subscription = liveView.subscribe(format, receiver);
        if (receiver.ended.get()) {
            receiver.subscription.close();
        }
        return emitter;
    }

    @Override
    public void destroy() {
        senders.shutdownNow();
    }

    /** One client: its mailbox, written by one sender at a time. */
    private static final class EmitterReceiver implements LiveView.Receiver {

        private final SseEmitter emitter;
        private final Executor senders;
        private final Mailbox mailbox = new Mailbox();
        private final AtomicBoolean writing = new AtomicBoolean();
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile LiveView.Subscription subscription;

        EmitterReceiver(SseEmitter emitter, Executor senders) {
            this.emitter = emitter;
            this.senders = senders;
        }

        @Override
        public void send(List<StreamEvent> events) {
            if (ended.get()) {
                return;
            }
            mailbox.offer(events);
            schedule();
        }

        @Override
        public void close() {
            if (ended.compareAndSet(false, true)) {
                emitter.complete();
            }
        }

        /** The client went away, the request ended, or a write failed: leave the stream. */
        void end() {
            ended.set(true);
            LiveView.Subscription current = subscription;
            if (current != null) {
                current.close();
            }
        }

        private void schedule() {
            if (!writing.compareAndSet(false, true)) {
                return;
            }
            try {
                senders.execute(this::write);
            }
            catch (RejectedExecutionException ex) {
                writing.set(false);
                end();
            }
        }

        private void write() {
            try {
                List<StreamEvent> events;
                while (!ended.get() && (events = mailbox.poll()) != null) {
                    emitter.send(sse(events));
                }
            }
            catch (IOException | RuntimeException ex) {
                // the client went away: the container completes the request; nothing is left of the client here
                end();
            }
            finally {
                writing.set(false);
            }
            if (!ended.get() && !mailbox.isEmpty()) {
                schedule();
            }
        }

        private static Set<DataWithMediaType> sse(List<StreamEvent> events) {
            Set<DataWithMediaType> parts = new LinkedHashSet<>();
            for (StreamEvent event : events) {
                SseEmitter.SseEventBuilder builder = SseEmitter.event();
                if (event.comment()) {
                    builder.comment(event.data());
                }
                else {
                    if (event.name() != null) {
                        builder.name(event.name());
                    }
                    if (event.retryMillis() > 0) {
                        builder.reconnectTime(event.retryMillis());
                    }
                    builder.data(event.data(), TEXT_UTF8);
                }
                parts.addAll(builder.build());
            }
            return parts;
        }
    }
}
