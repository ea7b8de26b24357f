package dev.resilience.core.circuitbreaker;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Durations;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A circuit breaker whose transitions are shared by every instance of a fleet, through a {@link CircuitBreakerFleet}.
 *
 * <p>Local first: it is a {@link LocalCircuitBreaker} (its calls, its window, its timer and its listeners are that
 * breaker's, so a closed shared breaker costs what a local one does and never waits for the fleet) with a
 * coordination that
 * <ul>
 * <li>publishes each transition the local breaker makes (an OPEN with the wait it starts; the automatic HALF_OPEN
 * keeps the OPEN's generation, every other transition starts a new one);</li>
 * <li>applies what the others publish, heard through the subscription and, every {@code reconcileInterval}, read from
 * the fleet ({@link #reconcile()}, also run as soon as the fleet is reachable again). A state is applied
 * only when it ranks above the one known here, and never published back; what the fleet answers (the state that
 * stood when a publication lost, the state read) also settles a tie of the same rank, so two instances that opened
 * at once end up with the same end of the wait;</li>
 * <li>in HALF_OPEN, leases the generation's trial from the fleet when a call finds no trial permit: the instance
 * that holds the lease gets the {@code permitted-number-of-calls-in-half-open-state} permits, decides from its own
 * trial calls and publishes CLOSED or OPEN for every instance. The lease lasts {@code wait-duration-in-open-state};
 * when it runs out undecided (its holder idle or gone) the unused permits are taken back and another instance may
 * lease the trial (an instance refused asks again after {@code reconcileInterval} at the earliest).</li>
 * </ul>
 * When the fleet fails or times out, nothing waits: a publication is retried by the next reconcile, a trial whose
 * lease got no answer runs on this instance's own permits.
 *
 * <p>Concurrency: {@link #known}, the state this instance holds in the fleet's terms, changes only under the local
 * breaker's transition lock (in {@link Coordinator#transitioned} and in the guard of
 * {@link LocalCircuitBreaker#applyFromFleet}), so it always matches the local state; it is volatile for the readers
 * outside. The fleet's answers arrive on its threads and go through the same two doors.
 */
public final class SharedCircuitBreaker implements CircuitBreaker, AutoCloseable {

    private static final System.Logger LOGGER = System.getLogger(SharedCircuitBreaker.class.getName());

    private final String name;
    private final CircuitBreakerFleet fleet;
    private final String instanceId;
    private final Ticker ticker;
    private final Scheduler scheduler;
    private final long reconcileIntervalNanos;
    private final long leaseNanos;
    private final Duration lease;
    private final LocalCircuitBreaker local;

    private volatile FleetState known;
    /** The trial whose lease is asked for or held, so that each HALF_OPEN asks once at a time. */
    private final AtomicReference<LocalCircuitBreaker.Trial> leasing = new AtomicReference<>();
    private volatile LocalCircuitBreaker.Trial refusedTrial;
    private volatile long refusedAtNanos;

    private volatile CircuitBreakerFleet.Subscription subscription;
    private volatile Scheduler.Scheduled nextReconcile;
    private volatile boolean closed;

    private SharedCircuitBreaker(String name, CircuitBreakerConfig config, Ticker ticker, Scheduler scheduler,
            CircuitBreakerFleet fleet) {
        this.name = Objects.requireNonNull(name, "name");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.instanceId = Objects.requireNonNull(fleet.instanceId(), "instanceId");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        Duration reconcileInterval = Objects.requireNonNull(fleet.reconcileInterval(), "reconcileInterval");
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("reconcileInterval must be positive, was " + reconcileInterval);
        }
        this.reconcileIntervalNanos = Durations.saturatedNanos(reconcileInterval);
        this.lease = config.waitDurationInOpenState();
        this.leaseNanos = Durations.saturatedNanos(lease);
        this.known = new FleetState(State.CLOSED, 0, Duration.ZERO, instanceId, false);
        this.local = new LocalCircuitBreaker(name, config, ticker, scheduler, new Coordinator(), this);
    }

    /**
     * A shared breaker, subscribed to the fleet and reconciling with it every {@link CircuitBreakerFleet#reconcileInterval()}
     * (the first time at once) and whenever the fleet is reachable again, until {@link #close()}d.
     */
    public static SharedCircuitBreaker start(String name, CircuitBreakerConfig config, Ticker ticker,
            Scheduler scheduler, CircuitBreakerFleet fleet) {
        SharedCircuitBreaker breaker = new SharedCircuitBreaker(name, config, ticker, scheduler, fleet);
        breaker.subscription = fleet.subscribe(name, breaker::heard, breaker::reconcile);
        breaker.reconcileAndReschedule();
        return breaker;
    }

    /** This instance's id in the fleet. */
    public String getInstanceId() {
        return instanceId;
    }

    /** The state this instance holds in the fleet's terms (its generation, the instance it came from). */
    public FleetState getFleetState() {
        FleetState state = known;
        return state.state() == State.OPEN ? state.withOpenWait(getRemainingOpenDuration().orElse(Duration.ZERO)) : state;
    }

    // ---------------------------------------------------------------- the local breaker

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CircuitBreakerConfig getConfig() {
        return local.getConfig();
    }

    @Override
    public State getState() {
        return local.getState();
    }

    @Override
    public CircuitBreakerMetrics getMetrics() {
        return local.getMetrics();
    }

    @Override
    public Optional<Duration> getRemainingOpenDuration() {
        return local.getRemainingOpenDuration();
    }

    @Override
    public void addListener(CircuitBreakerListener listener) {
        local.addListener(listener);
    }

    @Override
    public boolean tryAcquirePermission() {
        return local.tryAcquirePermission();
    }

    @Override
    public void acquirePermission() {
        local.acquirePermission();
    }

    @Override
    public void releasePermission() {
        local.releasePermission();
    }

    @Override
    public void onSuccess(long durationNanos) {
        local.onSuccess(durationNanos);
    }

    @Override
    public void onError(long durationNanos, Throwable error) {
        local.onError(durationNanos, error);
    }

    @Override
    public void transitionTo(State target) {
        local.transitionTo(target);
    }

    @Override
    public void reset() {
        local.reset();
    }

    /** The local breaker's own decoration: the call path is the local one's, without a step of its own. */
    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return local.decorate(next);
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return local.decorateAsync(next);
    }

    // ---------------------------------------------------------------- exchanging states

    /**
     * Reads the fleet's state and settles with it: applies it when it is newer (or the same rank from elsewhere),
     * publishes this instance's state when the fleet holds an older one or none (after an outage, say).
     */
    public void reconcile() {
        CompletionStage<Optional<FleetState>> read = ask(() -> fleet.read(name));
        if (read == null) {
            return;
        }
        read.whenComplete((stored, error) -> {
            if (error != null) {
                return;
            }
            FleetState mine = getFleetState();
            if (stored.isEmpty() || stored.get().isOlderThan(mine)) {
                publish(mine);
            } else {
                apply(stored.get(), true);
            }
        });
    }

    /** Stops reconciling and leaves the subscription; the breaker goes on as a local one. */
    @Override
    public void close() {
        closed = true;
        Scheduler.Scheduled scheduled = nextReconcile;
        if (scheduled != null) {
            scheduled.cancel();
        }
        CircuitBreakerFleet.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    private void reconcileAndReschedule() {
        if (closed) {
            return;
        }
        try {
            reconcile();
        } finally {
            if (!closed) {
                nextReconcile = scheduler.schedule(this::reconcileAndReschedule, reconcileIntervalNanos);
            }
        }
    }

    private void heard(FleetState state) {
        if (!state.origin().equals(instanceId)) {
            apply(state, false);
        }
    }

    private void publish(FleetState state) {
        CompletionStage<FleetState> answer = ask(() -> fleet.publish(name, state));
        if (answer != null) {
            // an error leaves the fleet behind this instance: the next reconcile publishes again
            answer.whenComplete((stood, error) -> {
                if (error == null) {
                    apply(stood, true);
                }
            });
        }
    }

    /**
     * Applies {@code state} when it ranks above the known one; with {@code settleTie}, also one of the same rank
     * that differs (the fleet's answer wins over what this instance offered or heard).
     */
    private void apply(FleetState state, boolean settleTie) {
        local.applyFromFleet(state.state(), Durations.saturatedNanos(state.openWait()), state.byHand(), () -> {
            FleetState mine = known;
            boolean newer = mine.isOlderThan(state) || settleTie && state.rank() == mine.rank()
                    && (state.state() != mine.state() || !state.origin().equals(mine.origin()));
            if (newer) {
                known = state;
            }
            return newer;
        });
    }

    /** Runs one request to the fleet; {@code null} when it threw instead of answering with a stage. */
    private <T> CompletionStage<T> ask(Supplier<CompletionStage<T>> request) {
        try {
            return request.get();
        } catch (RuntimeException failure) {
            LOGGER.log(System.Logger.Level.DEBUG, "circuit breaker '" + name + "': the fleet failed", failure);
            return null;
        }
    }

    // ---------------------------------------------------------------- the half-open trial

    private void leaseTrial(LocalCircuitBreaker.Trial trial) {
        LocalCircuitBreaker.Trial current = leasing.get();
        if (current == trial) {
            return;
        }
        if (refusedTrial == trial && ticker.nanoTime() - refusedAtNanos < Math.min(leaseNanos, reconcileIntervalNanos)) {
            return;
        }
        if (!leasing.compareAndSet(current, trial)) {
            return;
        }
        long askedAt = ticker.nanoTime();
        CompletionStage<Boolean> answer = ask(() -> fleet.leaseTrial(name, known.generation(), lease));
        if (answer == null) {
            trial.grant(trial.permitted());
            return;
        }
        answer.whenComplete((granted, error) -> {
            if (error != null) {
                // no answer from the fleet: this instance runs the trial on its own permits
                trial.grant(trial.permitted());
            } else if (granted) {
                if (trial.grant(trial.permitted())) {
                    // the lease ran from when it was asked for at the latest, so take the permits back by then
                    long left = leaseNanos - (ticker.nanoTime() - askedAt);
                    scheduler.schedule(() -> leaseRanOut(trial), Math.max(0, left));
                }
            } else {
                refusedAtNanos = ticker.nanoTime();
                refusedTrial = trial;
                leasing.compareAndSet(trial, null);
            }
        });
    }

    private void leaseRanOut(LocalCircuitBreaker.Trial trial) {
        trial.revoke();
        // the trial is undecided: a later call may lease it again (or another instance may)
        leasing.compareAndSet(trial, null);
    }

    /** The local breaker's hooks. */
    private final class Coordinator implements LocalCircuitBreaker.Coordination {

        @Override
        public Runnable transitioned(State from, State to, boolean byHand, long openWaitNanos) {
            FleetState mine = known;
            long generation = to == State.HALF_OPEN && from == State.OPEN && !byHand
                    ? mine.generation() : mine.generation() + 1;
            FleetState next = new FleetState(to, generation,
                    to == State.OPEN ? Duration.ofNanos(openWaitNanos) : Duration.ZERO, instanceId, byHand);
            known = next;
            return () -> publish(next);
        }

        @Override
        public void trialPermitMissing(LocalCircuitBreaker.Trial trial) {
            leaseTrial(trial);
        }
    }

    @Override
    public String toString() {
        return "SharedCircuitBreaker[name=" + name + ", state=" + getState() + ", generation=" + known.generation() + "]";
    }
}
