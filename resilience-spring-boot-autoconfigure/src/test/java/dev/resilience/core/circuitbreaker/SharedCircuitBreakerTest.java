package dev.resilience.core.circuitbreaker;

import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.resilience.core.circuitbreaker.Calls.fail;
import static dev.resilience.core.circuitbreaker.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;

/** Three instances of one shared breaker on one manual clock and an in-memory fleet. */
class SharedCircuitBreakerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration RECONCILE = Duration.ofSeconds(1);

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final InMemoryFleet fleet = new InMemoryFleet(ticker, RECONCILE);
    private final CircuitBreakerConfig config = CircuitBreakerConfig.builder()
            .slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(WAIT)
            .permittedNumberOfCallsInHalfOpenState(3).automaticTransitionFromOpenToHalfOpenEnabled(true).build();
    private final SharedCircuitBreaker a = start("a");
    private final SharedCircuitBreaker b = start("b");
    private final SharedCircuitBreaker c = start("c");
    private final List<SharedCircuitBreaker> all = List.of(a, b, c);

    private SharedCircuitBreaker start(String instance) {
        return SharedCircuitBreaker.start("partner", config, ticker, scheduler, fleet.member(instance));
    }

    @org.junit.jupiter.api.BeforeEach
    void started() {
        // the first instance's first reconcile stored its CLOSED for the fleet; the others found it there
        assertThat(fleet.offered).containsExactly(new FleetState(State.CLOSED, 0, Duration.ZERO, "a", false));
        assertThat(b.getFleetState().origin()).isEqualTo("a");
        fleet.offered.clear();
    }

    @AfterEach
    void close() {
        all.forEach(SharedCircuitBreaker::close);
    }

    @Test
    void anOpenOnOneOpensTheOthersWithTheSameEndOfTheWait() {
        ticker.advance(Duration.ofMillis(1));
        fail(a, 4);

        assertThat(states()).containsOnly(State.OPEN);
        assertThat(b.tryAcquirePermission()).isFalse();
        assertThat(c.getFleetState()).isEqualTo(new FleetState(State.OPEN, 1, WAIT, "a", false));
        ticker.advance(Duration.ofMillis(10_250));
        assertThat(all).allSatisfy(each ->
                assertThat(each.getRemainingOpenDuration()).contains(Duration.ofMillis(19_750)));

        scheduler.advance(Duration.ofMillis(19_750).minusNanos(1));
        assertThat(states()).containsOnly(State.OPEN);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(states()).containsOnly(State.HALF_OPEN);
        assertThat(all).allSatisfy(each -> assertThat(each.getFleetState().generation()).isEqualTo(1));
    }

    @Test
    void aStateLearnedFromTheFleetIsNeverPublishedBack() {
        fail(a, 4);

        assertThat(fleet.offered).containsExactly(new FleetState(State.OPEN, 1, WAIT, "a", false));
        scheduler.advance(Duration.ofSeconds(5));
        assertThat(fleet.offered).as("the reconciles found the fleet in step").hasSize(1);
    }

    @Test
    void theFleetSendsOneSetOfTrialCallsAndItsOutcomeDecidesForAll() {
        fail(b, 4);
        scheduler.advance(WAIT.plusNanos(1));
        assertThat(states()).containsOnly(State.HALF_OPEN);

        int permitted = 0;
        for (int round = 0; round < 5; round++) {
            for (SharedCircuitBreaker each : List.of(c, a, b)) {
                if (each.tryAcquirePermission()) {
                    permitted++;
                    assertThat(each).as("the instance that leased the trial").isSameAs(c);
                }
            }
        }
        assertThat(permitted).isEqualTo(3);
        assertThat(fleet.leaseRequests).as("one request per instance").containsExactly("c@1", "a@1", "b@1");

        c.onSuccess(0);
        c.onSuccess(0);
        assertThat(states()).containsOnly(State.HALF_OPEN);
        c.onSuccess(0);
        assertThat(states()).containsOnly(State.CLOSED);
        assertThat(a.getFleetState()).isEqualTo(new FleetState(State.CLOSED, 2, Duration.ZERO, "c", false));
    }

    @Test
    void aFailedTrialOpensEveryInstanceForAFullWaitInANewGeneration() {
        fail(a, 4);
        scheduler.advance(WAIT.plusNanos(1));
        fail(b);
        succeed(b);
        fail(b);

        assertThat(states()).containsOnly(State.OPEN);
        assertThat(all).allSatisfy(each -> {
            assertThat(each.getRemainingOpenDuration()).contains(WAIT);
            assertThat(each.getFleetState().generation()).isEqualTo(2);
        });
    }

    @Test
    void aTrialLeaseThatRunsOutUnusedGoesToAnotherInstance() {
        fail(a, 4);
        scheduler.advance(WAIT.plusNanos(1));
        assertThat(a.tryAcquirePermission()).isTrue();
        a.releasePermission();
        assertThat(b.tryAcquirePermission()).isFalse();

        scheduler.advance(WAIT.minusNanos(1));
        assertThat(c.tryAcquirePermission()).as("still a's").isFalse();
        scheduler.advance(Duration.ofNanos(1));
        assertThat(c.tryAcquirePermission()).as("c asks again a reconcile interval after a refusal").isFalse();
        assertThat(b.tryAcquirePermission()).as("a's lease ran out: the trial is free again").isTrue();
        assertThat(a.tryAcquirePermission()).as("a's permits were taken back").isFalse();
    }

    @Test
    void staleAndRepeatedMessagesChangeNothing() {
        fail(a, 4);
        scheduler.advance(WAIT.plusNanos(1));
        succeed(a, 3);
        assertThat(states()).containsOnly(State.CLOSED);

        fleet.deliver("partner", new FleetState(State.OPEN, 1, WAIT, "a", false));
        fleet.deliver("partner", new FleetState(State.HALF_OPEN, 1, Duration.ZERO, "b", false));
        fleet.deliver("partner", new FleetState(State.CLOSED, 2, Duration.ZERO, "a", false));
        assertThat(states()).containsOnly(State.CLOSED);
        assertThat(b.getFleetState()).isEqualTo(new FleetState(State.CLOSED, 2, Duration.ZERO, "a", false));

        fleet.deliver("partner", new FleetState(State.OPEN, 3, Duration.ofSeconds(5), "x", false));
        assertThat(states()).as("a newer one applies").containsOnly(State.OPEN);
        assertThat(b.getRemainingOpenDuration()).contains(Duration.ofSeconds(5));
    }

    @Test
    void statesSetByHandReachEveryInstance() {
        a.transitionToForcedOpenState();
        assertThat(states()).containsOnly(State.FORCED_OPEN);
        b.transitionToDisabledState();
        assertThat(states()).containsOnly(State.DISABLED);
        c.transitionToOpenState();
        assertThat(states()).containsOnly(State.OPEN);
        ticker.advance(Duration.ofSeconds(10));
        a.transitionToOpenState();
        assertThat(all).as("opening again by hand restarts the wait everywhere").allSatisfy(each ->
                assertThat(each.getRemainingOpenDuration()).contains(WAIT));
        b.transitionToClosedState();
        assertThat(states()).containsOnly(State.CLOSED);
        assertThat(c.getFleetState()).isEqualTo(new FleetState(State.CLOSED, 5, Duration.ZERO, "b", true));
    }

    @Test
    void aResetEmptiesEveryInstancesWindow() {
        fail(a, 3);
        fail(b, 2);
        RecordingListener heard = new RecordingListener();
        b.addListener(heard);

        c.reset();

        assertThat(all).allSatisfy(each -> {
            assertThat(each.getState()).isEqualTo(State.CLOSED);
            assertThat(each.getMetrics().bufferedCalls()).isZero();
        });
        fail(a);
        assertThat(a.getState()).as("its window started over").isEqualTo(State.CLOSED);
        assertThat(heard.transitions).containsExactly("CLOSED->CLOSED");
    }

    @Test
    void twoInstancesOpeningAtOnceSettleOnTheFirstOnesOpening() {
        fleet.hold();
        fail(a, 4);
        ticker.advance(Duration.ofSeconds(1));
        fail(b, 4);
        assertThat(b.getRemainingOpenDuration()).contains(WAIT);
        ticker.advance(Duration.ofSeconds(1));
        // a's offer reaches the fleet after 2 s of latency, b's after 1 s: the fleet's wait runs from its arrival
        fleet.release();

        assertThat(fleet.offered).extracting(FleetState::origin).containsExactly("a", "b");
        assertThat(states()).containsOnly(State.OPEN);
        assertThat(List.of(b, c)).allSatisfy(each -> {
            assertThat(each.getFleetState()).isEqualTo(new FleetState(State.OPEN, 1, WAIT, "a", false));
            assertThat(each.getRemainingOpenDuration()).as("the fleet's end of the wait").contains(WAIT);
        });
        assertThat(a.getRemainingOpenDuration()).as("its own, 2 s earlier").contains(WAIT.minusSeconds(2));
    }

    @Test
    void withTheFleetDownEachInstanceGoesOnAloneAndTheyConvergeOnceItIsBack() {
        fleet.down = true;
        fail(a, 4);
        assertThat(a.getState()).isEqualTo(State.OPEN);
        assertThat(b.getState()).isEqualTo(State.CLOSED);
        succeed(b, 10);

        scheduler.advance(WAIT.plusNanos(1));
        assertThat(a.getState()).isEqualTo(State.HALF_OPEN);
        assertThat(Stream.of(1, 2, 3).filter(i -> a.tryAcquirePermission()).count())
                .as("no lease: its own trial permits").isEqualTo(3);
        a.onError(0, new IllegalStateException());
        a.onError(0, new IllegalStateException());
        a.onError(0, new IllegalStateException());
        assertThat(a.getState()).isEqualTo(State.OPEN);

        ticker.advance(Duration.ofMillis(300));
        fleet.backUp();
        assertThat(states()).as("exchanged as soon as the fleet is back").containsOnly(State.OPEN);
        assertThat(b.getRemainingOpenDuration()).contains(WAIT.minusMillis(300));
    }

    @Test
    void aFleetThatComesBackWithoutSayingSoIsCaughtUpWithByTheReconcile() {
        fleet.down = true;
        a.transitionToForcedOpenState();
        fleet.down = false;
        scheduler.advance(RECONCILE);
        assertThat(states()).containsOnly(State.FORCED_OPEN);
    }

    @Test
    void aFleetThatForgotEverythingLearnsTheStateAgainAtTheNextReconcile() {
        c.transitionToForcedOpenState();
        fleet.wipe();
        scheduler.advance(RECONCILE);
        assertThat(fleet.stored("partner")).hasValueSatisfying(stored ->
                assertThat(stored.state()).isEqualTo(State.FORCED_OPEN));
        assertThat(states()).containsOnly(State.FORCED_OPEN);
    }

    @Test
    void aNewInstanceLearnsTheFleetsStateAtStart() {
        fail(a, 4);
        ticker.advance(Duration.ofSeconds(3));
        try (SharedCircuitBreaker late = start("d")) {
            assertThat(late.getState()).isEqualTo(State.OPEN);
            assertThat(late.getRemainingOpenDuration()).contains(WAIT.minusSeconds(3));
        }
    }

    @Test
    void aSlowFleetNeverHoldsUpACall() {
        fleet.hold();
        fail(a, 4);
        assertThat(b.tryAcquirePermission()).as("not heard yet").isTrue();
        b.releasePermission();
        scheduler.advance(WAIT.plusNanos(1));
        assertThat(a.tryAcquirePermission()).as("the lease is not answered yet").isFalse();
        fleet.release();
        assertThat(a.tryAcquirePermission()).as("the lease arrived").isTrue();
    }

    private List<State> states() {
        return all.stream().map(CircuitBreaker::getState).toList();
    }
}
