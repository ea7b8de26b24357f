package dev.resilience.core.circuitbreaker;

import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.ManualScheduler;
import dev.resilience.core.ManualTicker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import static dev.resilience.core.circuitbreaker.Calls.fail;
import static dev.resilience.core.circuitbreaker.Calls.succeed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state machine: OPEN, HALF_OPEN, the states set by hand, classification, reset and events. */
class CircuitBreakerStateTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ManualTicker ticker = new ManualTicker();
    private final ManualScheduler scheduler = new ManualScheduler(ticker);
    private final RecordingListener listener = new RecordingListener();

    private CircuitBreaker breaker(CircuitBreakerConfig.Builder config) {
        CircuitBreaker breaker = CircuitBreaker.of("backend", config.build(), ticker, scheduler);
        breaker.addListener(listener);
        return breaker;
    }

    /** Window of 4, threshold 50%, 3 trial calls in HALF_OPEN, 30s in OPEN. */
    private static CircuitBreakerConfig.Builder config() {
        return CircuitBreakerConfig.builder()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(WAIT)
                .permittedNumberOfCallsInHalfOpenState(3);
    }

    private static void open(CircuitBreaker breaker) {
        fail(breaker, 4);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    private void openThenHalfOpen(CircuitBreaker breaker) {
        open(breaker);
        ticker.advance(WAIT.plusNanos(1));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        breaker.releasePermission();
    }

    // ------------------------------------------------------------------------------------- OPEN

    @Test
    void openRejectsUntilTheWaitHasPassedThenTheNextCallMovesItToHalfOpen() {
        CircuitBreaker breaker = breaker(config());
        open(breaker);

        ticker.advance(WAIT.minusNanos(1));
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThatThrownBy(breaker::acquirePermission)
                .isInstanceOf(CircuitBreakerOpenException.class)
                .hasMessageContaining("'backend' is OPEN")
                .extracting(e -> ((CircuitBreakerOpenException) e).getName()).isEqualTo("backend");
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(breaker.getMetrics()).as("the figures of the window that opened it, and the refusals")
                .isEqualTo(new CircuitBreakerMetrics(100f, 0f, 4, 4, 0, 0, 2));
        assertThat(listener.notPermitted).hasValue(2);

        ticker.advance(Duration.ofNanos(1));
        assertThat(breaker.tryAcquirePermission()).as("at the very end of the wait").isFalse();

        ticker.advance(Duration.ofNanos(1));
        assertThat(breaker.getState()).as("nothing moves it without a call").isEqualTo(State.OPEN);
        assertThat(breaker.tryAcquirePermission()).isTrue();

        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.getMetrics().notPermittedCalls()).isZero();
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
        assertThat(scheduler.pendingCount()).as("no timer without automatic transition").isZero();
    }

    @Test
    void openRecordsTheLateOutcomeOfACallPermittedBeforeItOpenedIntoTheWindowItShows() {
        CircuitBreaker breaker = breaker(config());
        fail(breaker, 3);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        fail(breaker);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);

        breaker.onSuccess(0);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(75f, 0f, 4, 3, 0, 1, 0));
    }

    @Test
    void openAfterForcedOpenShowsNoWindowButGoesOnCountingTheRefusals() {
        CircuitBreaker breaker = breaker(config());
        breaker.transitionToForcedOpenState();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breaker.transitionToOpenState();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 3));
        breaker.transitionToOpenState();
        assertThat(breaker.getMetrics().notPermittedCalls()).as("OPEN again keeps them").isEqualTo(3);
        ticker.advance(WAIT.plusNanos(1));
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.getMetrics().notPermittedCalls()).as("HALF_OPEN starts from none").isZero();
    }

    @Test
    void automaticTransitionMovesOpenToHalfOpenWhenTheWaitEnds() {
        CircuitBreaker breaker = breaker(config().automaticTransitionFromOpenToHalfOpenEnabled(true));
        open(breaker);

        assertThat(scheduler.pendingDelays()).containsExactly(WAIT);
        scheduler.advance(WAIT.minusNanos(1));
        assertThat(breaker.getState()).isEqualTo(State.OPEN);

        scheduler.advance(Duration.ofNanos(1));

        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN");
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    void automaticTransitionIsCancelledWhenTheStateChangesEarlier() {
        CircuitBreaker breaker = breaker(config().automaticTransitionFromOpenToHalfOpenEnabled(true));
        open(breaker);
        assertThat(scheduler.pendingCount()).isEqualTo(1);

        breaker.transitionToForcedOpenState();

        assertThat(scheduler.pendingCount()).isZero();
        scheduler.advance(WAIT.multipliedBy(2));
        assertThat(breaker.getState()).isEqualTo(State.FORCED_OPEN);
    }

    @Test
    void anAutomaticTimerOfAnEarlierOpenStateDoesNotCutALaterOneShort() {
        CircuitBreaker breaker = breaker(config().automaticTransitionFromOpenToHalfOpenEnabled(true));
        open(breaker);
        scheduler.advance(Duration.ofSeconds(10));

        breaker.transitionToOpenState();

        assertThat(scheduler.pendingDelays()).containsExactly(WAIT);
        scheduler.advance(WAIT.minusNanos(1));
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        scheduler.advance(Duration.ofNanos(1));
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
    }

    // -------------------------------------------------------------------------------- HALF_OPEN

    @Test
    void halfOpenPermitsExactlyTheTrialCallsAndRejectsTheNext() {
        CircuitBreaker breaker = breaker(config());
        openThenHalfOpen(breaker);

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThatThrownBy(breaker::acquirePermission).hasMessageContaining("is HALF_OPEN");

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 2));
    }

    @Test
    void halfOpenDecidesOnlyOnceEveryTrialHasFinishedAndOpensAgainAtTheThreshold() {
        CircuitBreaker breaker = breaker(config());
        openThenHalfOpen(breaker);
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();

        breaker.onError(0, new IllegalStateException());
        breaker.onError(0, new IllegalStateException());
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 2, 2, 0, 0, 0));

        breaker.onSuccess(0);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    }

    @Test
    void halfOpenClosesJustBelowTheThresholdWithAnEmptyWindow() {
        CircuitBreaker breaker = breaker(config());
        openThenHalfOpen(breaker);

        succeed(breaker, 2);
        fail(breaker);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 0));
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void halfOpenOpensAtExactlyTheThresholdWithAnEvenNumberOfTrials() {
        CircuitBreaker breaker = breaker(config().permittedNumberOfCallsInHalfOpenState(4));
        openThenHalfOpen(breaker);

        succeed(breaker, 2);
        fail(breaker, 2);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void halfOpenJudgesSlowTrialCalls() {
        CircuitBreaker breaker = breaker(config()
                .slowCallDurationThreshold(Duration.ofSeconds(1))
                .slowCallRateThreshold(60));
        openThenHalfOpen(breaker);

        Calls.succeed(breaker, Duration.ofSeconds(1).plusNanos(1));
        Calls.succeed(breaker, Duration.ofSeconds(1).plusNanos(1));
        succeed(breaker);

        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void halfOpenDecidesFromTheTrialsAloneNotFromTheFailuresThatOpenedIt() {
        CircuitBreaker breaker = breaker(config());
        openThenHalfOpen(breaker);

        succeed(breaker, 3);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        // and the new CLOSED window needs its own four calls before it may open again
        fail(breaker, 3);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void aCallPermittedBeforeTheBreakerMovedOnIsNotTakenForATrial() throws Throwable {
        CircuitBreaker breaker = breaker(config());
        var call = breaker.<Void>decorate(context -> {
            breaker.transitionToHalfOpenState();
            return "done";
        });

        assertThat(call.invoke(null)).isEqualTo("done");

        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
        assertThat(listener.successes).hasValue(1);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
    }

    @Test
    void halfOpenDecidesOnceTheMinimumNumberOfTrialsIsRecordedWhenThatIsFewerThanThePermitted() {
        CircuitBreaker breaker = breaker(config().minimumNumberOfCalls(2).permittedNumberOfCallsInHalfOpenState(5));
        fail(breaker, 2);
        ticker.advance(WAIT.plusNanos(1));
        for (int i = 0; i < 5; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
        }
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);

        breaker.onSuccess(0);
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        breaker.onError(0, new IllegalStateException());

        assertThat(breaker.getState()).as("1 of 2 trials failed: 50%").isEqualTo(State.OPEN);
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
    }

    @Test
    void releasePermissionGivesATrialSlotBackAndLikeResilience4jCountsEveryRelease() {
        CircuitBreaker breaker = breaker(config());
        openThenHalfOpen(breaker);
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breaker.releasePermission();

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        // a permission given back for a call permitted before HALF_OPEN frees one more slot, as in Resilience4j
        breaker.releasePermission();
        breaker.releasePermission();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThat(breaker.getMetrics().notPermittedCalls()).isEqualTo(3);
    }

    @Test
    void releasePermissionOutsideHalfOpenChangesNothing() {
        CircuitBreaker breaker = breaker(config());
        fail(breaker, 3);
        breaker.releasePermission();

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 3, 0, 0, 0));
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }

    // ---------------------------------------------------------------- FORCED_OPEN and DISABLED

    @Test
    void forcedOpenRejectsEverythingUntilChangedByHand() {
        CircuitBreaker breaker = breaker(config().automaticTransitionFromOpenToHalfOpenEnabled(true));
        breaker.transitionToForcedOpenState();

        scheduler.advance(WAIT.multipliedBy(10));
        assertThat(breaker.tryAcquirePermission()).isFalse();
        assertThatThrownBy(breaker::acquirePermission).hasMessageContaining("'backend' is FORCED_OPEN");
        assertThat(breaker.getState()).isEqualTo(State.FORCED_OPEN);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 2));
        assertThat(scheduler.pendingCount()).isZero();

        breaker.transitionToClosedState();

        assertThat(breaker.tryAcquirePermission()).isTrue();
        assertThat(breaker.getMetrics().notPermittedCalls()).isZero();
    }

    @Test
    void disabledPermitsEverythingAndRecordsNothing() {
        CircuitBreaker breaker = breaker(config());
        breaker.transitionToDisabledState();

        fail(breaker, 20);
        succeed(breaker, 5);

        assertThat(breaker.getState()).isEqualTo(State.DISABLED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 0));
        assertThat(listener.failures).hasValue(0);
        assertThat(listener.successes).hasValue(0);
        assertThat(listener.transitions).containsExactly("CLOSED->DISABLED");
    }

    // ----------------------------------------------------------------------------- classification

    @Test
    void anIgnoredExceptionIsNeitherSuccessNorFailure() {
        CircuitBreaker breaker = breaker(config().ignoreExceptions(List.of(IllegalArgumentException.class)));
        fail(breaker, 3);
        for (int i = 0; i < 5; i++) {
            assertThat(breaker.tryAcquirePermission()).isTrue();
            breaker.onError(0, new NumberFormatException("ignored, a subclass"));
        }

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 3, 0, 0, 0));
        assertThat(listener.ignoredCount).hasValue(5);
        assertThat(listener.failures).hasValue(3);

        succeed(breaker);
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void anIgnoredExceptionGivesItsHalfOpenTrialSlotBack() {
        CircuitBreaker breaker = breaker(config().ignoreExceptions(List.of(IllegalArgumentException.class)));
        openThenHalfOpen(breaker);
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();
        breaker.tryAcquirePermission();
        assertThat(breaker.tryAcquirePermission()).isFalse();

        breaker.onError(0, new IllegalArgumentException());

        assertThat(breaker.tryAcquirePermission()).isTrue();
        breaker.onSuccess(0);
        breaker.onSuccess(0);
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        breaker.onSuccess(0);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
    }

    @Test
    void withRecordExceptionsOnlyInstancesOfThemAreFailuresAndOthersCountAsSuccesses() {
        CircuitBreaker breaker = breaker(config()
                .recordExceptions(List.of(IOException.class, UncheckedIOException.class))
                .ignoreExceptions(List.of(java.io.FileNotFoundException.class)));
        breaker.tryAcquirePermission();
        breaker.onError(0, new IOException());
        breaker.tryAcquirePermission();
        breaker.onError(0, new UncheckedIOException(new IOException()));
        breaker.tryAcquirePermission();
        breaker.onError(0, new IllegalStateException("not recorded"));
        breaker.tryAcquirePermission();
        breaker.onError(0, new java.io.FileNotFoundException("ignore wins"));

        // as in Resilience4j: an exception record-exceptions does not list is recorded as a success
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 2, 0, 1, 0));
        assertThat(listener.successes).hasValue(1);
        assertThat(listener.ignored).extracting(Object::getClass)
                .containsExactly(java.io.FileNotFoundException.class);
    }

    @Test
    void aCompletionOrExecutionExceptionIsJudgedByItsCause() {
        CircuitBreaker breaker = breaker(config()
                .recordExceptions(List.of(IOException.class))
                .ignoreExceptions(List.of(IllegalArgumentException.class)));
        breaker.tryAcquirePermission();
        breaker.onError(0, new java.util.concurrent.CompletionException(new IOException()));
        breaker.tryAcquirePermission();
        breaker.onError(0, new java.util.concurrent.ExecutionException(new IOException()));
        breaker.tryAcquirePermission();
        breaker.onError(0, new java.util.concurrent.ExecutionException(new IllegalArgumentException()));
        breaker.tryAcquirePermission();
        breaker.onError(0, new java.util.concurrent.CompletionException(new IllegalStateException()));

        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 3, 2, 0, 1, 0));
        assertThat(listener.ignoredCount).hasValue(1);
    }

    // ------------------------------------------------------------------- reset, manual, events

    @Test
    void resetReturnsToClosedWithAnEmptyWindow() {
        CircuitBreaker breaker = breaker(config());
        open(breaker);
        breaker.tryAcquirePermission();

        breaker.reset();

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 0));
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->CLOSED", "reset");
    }

    @Test
    void resetWhileClosedClearsTheWindowAndReportsOnlyTheReset() {
        CircuitBreaker breaker = breaker(config());
        fail(breaker, 3);

        breaker.reset();
        fail(breaker, 3);

        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics().bufferedCalls()).isEqualTo(3);
        assertThat(listener.transitions).containsExactly("reset");
        assertThat(listener.resets).hasValue(1);
    }

    @Test
    void manualTransitionsAreEachReportedOnceAndStartAnEmptyWindow() {
        CircuitBreaker breaker = breaker(config());
        fail(breaker, 3);

        breaker.transitionToOpenState();
        assertThat(breaker.tryAcquirePermission()).isFalse();
        breaker.transitionToHalfOpenState();
        breaker.transitionToClosedState();
        assertThat(breaker.getMetrics().bufferedCalls()).isZero();
        fail(breaker, 2);
        breaker.transitionToClosedState();
        assertThat(breaker.getMetrics().bufferedCalls()).as("CLOSED again clears the window").isZero();
        breaker.transitionTo(State.FORCED_OPEN);
        breaker.transitionTo(State.DISABLED);
        breaker.transitionTo(State.OPEN);

        assertThat(listener.transitions).containsExactly(
                "CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED", "CLOSED->CLOSED",
                "CLOSED->FORCED_OPEN", "FORCED_OPEN->DISABLED", "DISABLED->OPEN");
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
    }

    @Test
    void aManualOpenStartsTheWaitOver() {
        CircuitBreaker breaker = breaker(config());
        open(breaker);
        ticker.advance(WAIT.minusSeconds(1));

        breaker.transitionToOpenState();
        ticker.advance(Duration.ofSeconds(1));

        assertThat(breaker.tryAcquirePermission()).isFalse();
        ticker.advance(WAIT.minusSeconds(1));
        assertThat(breaker.tryAcquirePermission()).as("the new wait has just ended").isFalse();
        ticker.advance(Duration.ofNanos(1));
        assertThat(breaker.tryAcquirePermission()).isTrue();
    }

    @Test
    void aFailingListenerBreaksNeitherCallsNorOtherListeners() {
        CircuitBreaker breaker = CircuitBreaker.of("backend", config().build(), ticker, scheduler);
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(CircuitBreaker cb, State from, State to) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onError(CircuitBreaker cb, long durationNanos, Throwable error) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onCallNotPermitted(CircuitBreaker cb) {
                throw new IllegalStateException("listener bug");
            }
        });
        breaker.addListener(listener);

        open(breaker);
        assertThat(breaker.tryAcquirePermission()).isFalse();

        assertThat(listener.transitions).containsExactly("CLOSED->OPEN");
        assertThat(listener.failures).hasValue(4);
        assertThat(listener.notPermitted).hasValue(1);
    }

    @Test
    void aTransitionStartedByAListenerIsDeliveredAfterTheCurrentOneToEveryListener() {
        CircuitBreaker breaker = CircuitBreaker.of("backend", config().build(), ticker, scheduler);
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(CircuitBreaker cb, State from, State to) {
                if (to == State.OPEN) {
                    cb.transitionToForcedOpenState();
                }
            }
        });
        breaker.addListener(listener);

        fail(breaker, 4);

        assertThat(breaker.getState()).isEqualTo(State.FORCED_OPEN);
        assertThat(listener.transitions).containsExactly("CLOSED->OPEN", "OPEN->FORCED_OPEN");
    }

    @Test
    void nameAndConfigAreThoseGiven() {
        CircuitBreakerConfig config = config().build();
        CircuitBreaker breaker = CircuitBreaker.of("payments", config, ticker, scheduler);

        assertThat(breaker.getName()).isEqualTo("payments");
        assertThat(breaker.getConfig()).isSameAs(config);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(breaker.getMetrics()).isEqualTo(new CircuitBreakerMetrics(-1f, -1f, 0, 0, 0, 0, 0));
    }
}
