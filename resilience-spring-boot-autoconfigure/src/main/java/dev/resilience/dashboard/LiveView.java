package dev.resilience.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.springframework.context.SmartLifecycle;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Policy;
import dev.resilience.core.bulkhead.Bulkhead;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.Timeout;
import dev.resilience.core.timeout.TimeoutRegistry;

/**
 * The live view's one clock: every interval, one tick reads every instance of every registry, once, and hands the
 * frame it makes to every client of both streams. No thread per client, nothing per client but its place in a list:
 * a client that goes away is dropped from the list and nothing of it is left.
 *
 * <p>Instances are found through the registries as they are created (those that exist already included), whatever
 * their kind: the circuit breakers, retries, timeouts and bulkheads with all their figures, any other kind by the
 * conventions of {@link GenericTrack}. Between two ticks the only cost is what the tracks' listeners do per call:
 * an adder increment, and for a breaker's calls one histogram bucket.
 *
 * <p>What a frame says is in {@link LiveFormat} and {@link HystrixFormat}. A tick runs on the view's own daemon
 * thread, {@code resilience-dashboard}; clients receive frames through a {@link Receiver}, which must not block (the
 * web layers hand the writing to the server's non-blocking I/O or to a small pool of their own).
 *
 * <p>As a {@link SmartLifecycle} of the default phase, the view starts its ticks with the application context and,
 * when the context closes, ends every stream before the web server's graceful shutdown begins (which would otherwise
 * wait for these never-ending requests).
 */
public final class LiveView implements SmartLifecycle, AutoCloseable {

    /** The window of the rates and latencies: ten seconds, Hystrix's rolling window. */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** The sparkline's reach: the last five minutes, at most {@value #MAX_HISTORY_POINTS} points. */
    static final Duration HISTORY = Duration.ofMinutes(5);
    static final int MAX_HISTORY_POINTS = 300;
    static final int EVENTS_KEPT = 100;

    /** The streams. */
    public enum Format {
        /** {@code /resilience/stream}: {@link LiveFormat}. */
        LIVE,
        /** {@code /resilience/hystrix.stream}: {@link HystrixFormat}. */
        HYSTRIX
    }

    /** One client of a stream. Its methods are called on the view's thread and must not block. */
    public interface Receiver {

        /** The next events to write, in order. */
        void send(List<StreamEvent> events);

        /** The view is closing: end the stream. */
        void close();
    }

    /** A client's place in a stream; closing it leaves the stream (more than once does no harm). */
    public interface Subscription extends AutoCloseable {

        @Override
        void close();
    }

    private static final System.Logger LOGGER = System.getLogger(LiveView.class.getName());
    private static final Comparator<TrackWindow> ORDER = Comparator
            .comparingInt((TrackWindow window) -> kindOrder(window.track().kind()))
            .thenComparing(window -> window.track().kind())
            .thenComparing(window -> window.track().name());

    private final long intervalNanos;
    private final int windowTicks;
    private final Duration window;
    private final int historyPoints;
    private final String group;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final EventLog events;
    private final ConcurrentMap<Policy, TrackWindow> windows = new ConcurrentHashMap<>();
    private final Map<Format, List<Receiver>> receivers = new EnumMap<>(Format.class);

    private ScheduledThreadPoolExecutor timer;
    private boolean stopped;
    private boolean closed;
    private long sequence;
    private List<Figures> latest = List.of();
    private long latestMillis;
    private String latestLive;
    private List<StreamEvent> latestHystrix;

    /**
     * @param registries every registry whose instances to show
     * @param interval   the time between two frames
     * @param group      the application's name, Hystrix's command group
     * @param clock      the wall-clock time of frames and events
     * @param nanoTime   the time that rates are measured against
     */
    public LiveView(List<? extends InstanceRegistry<?>> registries, Duration interval, String group, Clock clock,
            LongSupplier nanoTime) {
        Objects.requireNonNull(registries, "registries");
        if (interval == null || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive, was " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.windowTicks = (int) Math.max(1, ceilDiv(WINDOW.toNanos(), intervalNanos));
        this.window = interval.multipliedBy(windowTicks);
        this.historyPoints = (int) Math.min(MAX_HISTORY_POINTS, Math.max(1, ceilDiv(HISTORY.toNanos(), intervalNanos)));
        this.group = Objects.requireNonNull(group, "group");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.events = new EventLog(EVENTS_KEPT, clock);
        for (Format format : Format.values()) {
            receivers.put(format, new CopyOnWriteArrayList<>());
        }
        for (InstanceRegistry<?> registry : registries) {
            watch(registry);
        }
    }

    /** Starts the ticks, one every interval on the view's own daemon thread. */
    @Override
    public synchronized void start() {
        if (timer != null || closed) {
            return;
        }
        stopped = false;
        timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "resilience-dashboard");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleAtFixedRate(this::tickSafely, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /** Stops the ticks and ends every client's stream; a client that comes while stopped is ended at once. */
    @Override
    public void stop() {
        List<Receiver> ending = new ArrayList<>();
        synchronized (this) {
            stopped = true;
            if (timer != null) {
                timer.shutdownNow();
                timer = null;
            }
            for (List<Receiver> list : receivers.values()) {
                ending.addAll(list);
                list.clear();
            }
        }
        for (Receiver receiver : ending) {
            try {
                receiver.close();
            }
            catch (RuntimeException ex) {
                LOGGER.log(System.Logger.Level.DEBUG, "A live view client failed to close", ex);
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /** Stops for good: {@link #stop()}, and {@link #start()} does nothing any more. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        stop();
    }

    /**
     * Adds a client to a stream. It first receives what a new client needs (for {@link Format#LIVE} the history and
     * the latest frame, for {@link Format#HYSTRIX} the latest frame), then every frame, until the subscription is
     * closed or the view closes.
     */
    public synchronized Subscription subscribe(Format format, Receiver receiver) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(receiver, "receiver");
        if (stopped) {
            receiver.close();
            return () -> {
            };
        }
        List<StreamEvent> first = new ArrayList<>();
        if (format == Format.LIVE) {
            first.add(StreamEvent.named("history", LiveFormat.history(sequence, intervalMillis(), sorted(),
                    events.all()), Math.max(1000, intervalMillis())));
            if (sequence > 0) {
                first.add(StreamEvent.frame(live()));
            }
        }
        else {
            first.addAll(sequence > 0 ? hystrix() : List.of(StreamEvent.ping()));
        }
        receiver.send(first);
        List<Receiver> list = receivers.get(format);
        list.add(receiver);
        return () -> list.remove(receiver);
    }

    /** The clients of a stream now. */
    public int subscribers(Format format) {
        return receivers.get(format).size();
    }

    /** The time between two frames. */
    public Duration interval() {
        return Duration.ofNanos(intervalNanos);
    }

    /** Makes the next frame and hands it to every client: what the view's thread does every interval. */
    synchronized void tick() {
        if (stopped) {
            return;
        }
        long now = nanoTime.getAsLong();
        List<Figures> figures = new ArrayList<>();
        for (TrackWindow trackWindow : sorted()) {
            figures.add(trackWindow.advance(now, events, window));
        }
        sequence++;
        latest = figures;
        latestMillis = clock.millis();
        latestLive = null;
        latestHystrix = null;
        deliver(Format.LIVE);
        deliver(Format.HYSTRIX);
    }

    /** The figures of the last tick, in the order of the frames. */
    synchronized List<Figures> latest() {
        return latest;
    }

    private void deliver(Format format) {
        List<Receiver> list = receivers.get(format);
        if (list.isEmpty()) {
            return;
        }
        List<StreamEvent> frame = format == Format.LIVE ? List.of(StreamEvent.frame(live())) : hystrix();
        for (Receiver receiver : list) {
            try {
                receiver.send(frame);
            }
            catch (RuntimeException ex) {
                list.remove(receiver);
                LOGGER.log(System.Logger.Level.DEBUG, "A live view client failed; dropped", ex);
            }
        }
    }

    private String live() {
        if (latestLive == null) {
            latestLive = LiveFormat.frame(sequence, latestMillis, intervalMillis(), window.toMillis(), latest,
                    events.since(latestMillis - LiveFormat.EVENT_MILLIS, LiveFormat.EVENTS_PER_FRAME));
        }
        return latestLive;
    }

    private List<StreamEvent> hystrix() {
        if (latestHystrix == null) {
            latestHystrix = HystrixFormat.frame(latestMillis, window.toMillis(), group, latest);
        }
        return latestHystrix;
    }

    private void tickSafely() {
        try {
            tick();
        }
        catch (RuntimeException ex) {
            // a failing tick must not stop the next ones (a scheduled task that throws never runs again)
            LOGGER.log(System.Logger.Level.WARNING, "The live view could not make a frame; it tries again at the next tick", ex);
        }
    }

    private List<TrackWindow> sorted() {
        List<TrackWindow> list = new ArrayList<>(windows.values());
        list.sort(ORDER);
        return list;
    }

    private long intervalMillis() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(intervalNanos));
    }

    private void watch(InstanceRegistry<?> registry) {
        registry.onAdded(instance -> windows.computeIfAbsent(instance,
                policy -> new TrackWindow(track(registry, policy), windowTicks, historyPoints, nanoTime.getAsLong())));
        registry.onRemoved(windows::remove);
    }

    private Track track(InstanceRegistry<?> registry, Policy policy) {
        if (registry instanceof CircuitBreakerRegistry && policy instanceof CircuitBreaker circuitBreaker) {
            return new CircuitBreakerTrack(circuitBreaker, events);
        }
        if (registry instanceof RetryRegistry && policy instanceof Retry retry) {
            return new RetryTrack(retry);
        }
        if (registry instanceof TimeoutRegistry && policy instanceof Timeout timeout) {
            return new TimeoutTrack(timeout);
        }
        if (registry instanceof BulkheadRegistry && policy instanceof Bulkhead bulkhead) {
            return new BulkheadTrack(bulkhead, windowTicks);
        }
        return new GenericTrack(GenericTrack.kindOf(registry.getClass()), policy);
    }

    /** The order of the kinds on the page and in the frames: breakers first, then the others of the chain. */
    private static int kindOrder(String kind) {
        return switch (kind) {
            case CircuitBreakerTrack.KIND -> 0;
            case RetryTrack.KIND -> 1;
            case TimeoutTrack.KIND -> 2;
            case BulkheadTrack.KIND -> 3;
            default -> 4;
        };
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
