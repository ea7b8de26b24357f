package dev.resilience.core.circuitbreaker;

import dev.resilience.core.Ticker;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link CircuitBreakerFleet} in memory, shared by the breakers of a test, on the test's ticker. It answers at
 * once, unless {@link #hold()} queues every request until {@link #release()} (a slow fleet), or {@link #down} fails
 * every request (an unreachable one). It records every offered state and lease request.
 */
public final class InMemoryFleet {

    private final Ticker ticker;
    private final Map<String, Stored> states = new HashMap<>();
    private final Map<String, Lease> leases = new HashMap<>();
    private final Map<String, List<Consumer<FleetState>>> subscribers = new HashMap<>();
    private final List<Runnable> reachableAgain = new CopyOnWriteArrayList<>();
    private final Queue<Runnable> held = new ArrayDeque<>();
    private boolean holding;
    volatile boolean down;
    final List<FleetState> offered = new CopyOnWriteArrayList<>();
    final List<String> leaseRequests = new CopyOnWriteArrayList<>();

    private final Duration reconcileInterval;

    public InMemoryFleet(Ticker ticker, Duration reconcileInterval) {
        this.ticker = ticker;
        this.reconcileInterval = reconcileInterval;
    }

    public CircuitBreakerFleet member(String instanceId) {
        return new Member(instanceId);
    }

    synchronized void hold() {
        holding = true;
    }

    /** Runs the held requests in the order they came, and answers them at once from now on. */
    void release() {
        while (true) {
            Runnable next;
            synchronized (this) {
                next = held.poll();
                if (next == null) {
                    holding = false;
                    return;
                }
            }
            next.run();
        }
    }

    /** Delivers {@code state} to the subscribers without storing it: a message that arrives late or twice. */
    void deliver(String name, FleetState state) {
        List<Consumer<FleetState>> targets;
        synchronized (this) {
            targets = List.copyOf(subscribers.getOrDefault(name, List.of()));
        }
        targets.forEach(each -> each.accept(state));
    }

    /** The fleet answers again, and says so. */
    void backUp() {
        down = false;
        reachableAgain.forEach(Runnable::run);
    }

    synchronized Optional<FleetState> stored(String name) {
        Stored stored = states.get(name);
        return stored == null ? Optional.empty() : Optional.of(stored.now());
    }

    /** Forgets every state and lease: a restarted server without persistence. */
    synchronized void wipe() {
        states.clear();
        leases.clear();
    }

    private <T> CompletionStage<T> request(Supplier<T> work) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable run = () -> {
            if (down) {
                answer.completeExceptionally(new IllegalStateException("fleet down"));
            } else {
                answer.complete(work.get());
            }
        };
        synchronized (this) {
            if (holding) {
                held.add(run);
                return answer;
            }
        }
        run.run();
        return answer;
    }

    private record Stored(FleetState state, long openUntilNanos, Ticker ticker) {
        FleetState now() {
            return state.withOpenWait(Duration.ofNanos(Math.max(0, openUntilNanos - ticker.nanoTime())));
        }
    }

    private record Lease(String holder, long untilNanos) {
    }

    private final class Member implements CircuitBreakerFleet {

        private final String instanceId;

        Member(String instanceId) {
            this.instanceId = instanceId;
        }

        @Override
        public String instanceId() {
            return instanceId;
        }

        @Override
        public CompletionStage<FleetState> publish(String name, FleetState state) {
            return request(() -> {
                offered.add(state);
                FleetState stood;
                synchronized (InMemoryFleet.this) {
                    Stored stored = states.get(name);
                    if (stored != null && !stored.state.isOlderThan(state)) {
                        return stored.now();
                    }
                    states.put(name, new Stored(state, ticker.nanoTime() + state.openWait().toNanos(), ticker));
                    stood = state;
                }
                deliver(name, stood);
                return stood;
            });
        }

        @Override
        public CompletionStage<Optional<FleetState>> read(String name) {
            return request(() -> stored(name));
        }

        @Override
        public CompletionStage<Boolean> leaseTrial(String name, long generation, Duration lease) {
            return request(() -> {
                leaseRequests.add(instanceId + "@" + generation);
                synchronized (InMemoryFleet.this) {
                    String key = name + "#" + generation;
                    Lease current = leases.get(key);
                    long now = ticker.nanoTime();
                    if (current != null && current.untilNanos > now) {
                        return false;
                    }
                    leases.put(key, new Lease(instanceId, now + lease.toNanos()));
                    return true;
                }
            });
        }

        @Override
        public Subscription subscribe(String name, Consumer<FleetState> listener, Runnable onReachableAgain) {
            synchronized (InMemoryFleet.this) {
                subscribers.computeIfAbsent(name, key -> new ArrayList<>()).add(listener);
            }
            reachableAgain.add(onReachableAgain);
            return () -> {
                synchronized (InMemoryFleet.this) {
                    subscribers.get(name).remove(listener);
                }
                reachableAgain.remove(onReachableAgain);
            };
        }

        @Override
        public Duration reconcileInterval() {
            return reconcileInterval;
        }
    }
}
