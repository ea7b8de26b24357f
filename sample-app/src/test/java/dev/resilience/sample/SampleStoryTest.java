package dev.resilience.sample;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreaker.State;
import dev.resilience.core.circuitbreaker.CircuitBreakerListener;
import dev.resilience.sample.offer.Offer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole story over real HTTP: a healthy partner, then a failing one (the breaker opens and the partner
 * stops receiving calls), then a hanging one (every answer comes within the timeout), then a healed one (the
 * breaker probes it and closes). The breaker is read through its registry; {@code SampleObservabilityTest}
 * reads the same story through the actuator endpoints and the metrics.
 */
class SampleStoryTest extends SampleTestSupport {

    private final List<String> transitions = new CopyOnWriteArrayList<>();

    @Test
    void theOfferServiceStaysUpWhileItsPartnerFailsHangsAndHeals() {
        CircuitBreaker breaker = breaker();
        breaker.addListener(new CircuitBreakerListener() {
            @Override
            public void onStateTransition(CircuitBreaker circuitBreaker, State from, State to) {
                transitions.add(from + "->" + to);
            }
        });
        long callsAtStart = partnerCalls();

        // 1. healthy: the hot offer comes from the partner
        Offer hot = offer();
        assertThat(hot.source()).isEqualTo(Offer.PARTNER);
        assertThat(hot.offer()).isNotBlank();
        assertThat(hot.reason()).isNull();
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(partnerCalls()).isEqualTo(callsAtStart + 1);

        // 2. failing: every answer is the cold offer; the breaker opens once the window holds
        //    minimum-number-of-calls calls (1 success + 4 failures: 80% >= 50%)
        chaos("{\"failureRate\": 1.0, \"status\": 500}");
        List<String> reasons = new ArrayList<>();
        for (int i = 0; i < 20 && breaker.getState() == State.CLOSED; i++) {
            Offer cold = offer();
            assertThat(cold.source()).isEqualTo(Offer.FALLBACK);
            reasons.add(cold.reason());
        }
        assertThat(breaker.getState()).isEqualTo(State.OPEN);
        assertThat(transitions).containsExactly("CLOSED->OPEN");
        int minimumCalls = breaker.getConfig().minimumNumberOfCalls();
        assertThat(partnerCalls() - callsAtStart).isEqualTo(minimumCalls);
        // each /offer tried twice (max-attempts 2): 2 calls for 4 failures
        assertThat(reasons).containsOnly("partner answered 500").hasSize(2);

        //    while OPEN the partner receives nothing and the reason says so
        long callsWhenOpened = partnerCalls();
        int checkedWhileOpen = 0;
        for (int i = 0; i < 5; i++) {
            int transitionsBefore = transitions.size();
            Offer cold = offer();
            assertThat(cold.source()).isEqualTo(Offer.FALLBACK);
            if (transitions.size() == transitionsBefore && breaker.getState() == State.OPEN) {
                // OPEN during the whole call (the open wait may end during the loop on a slow machine)
                assertThat(cold.reason()).isEqualTo("circuit breaker 'partner' is OPEN");
                assertThat(partnerCalls()).isEqualTo(callsWhenOpened);
                checkedWhileOpen++;
            }
        }
        assertThat(checkedWhileOpen).isPositive();

        // 3. hanging: no answer waits past the timeout; once the open wait is over the breaker lets two trial
        //    calls through, both time out, and it opens again
        chaos("{\"latency\": \"" + HANG + "\"}");
        List<TimedOffer> whileHanging = new CopyOnWriteArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50)).until(() -> {
            TimedOffer answer = timedOffer("/offer");
            whileHanging.add(answer);
            return transitions.contains("HALF_OPEN->OPEN");
        });
        assertThat(whileHanging).allSatisfy(answer -> {
            assertThat(answer.offer().source()).isEqualTo(Offer.FALLBACK);
            assertThat(answer.took()).isLessThan(TIMEOUT.plus(MARGIN));
        });
        assertThat(whileHanging).extracting(answer -> answer.offer().reason())
                .contains("timeout after " + TIMEOUT_MILLIS + "ms")
                .allMatch(reason -> reason.equals("timeout after " + TIMEOUT_MILLIS + "ms")
                        || reason.startsWith("circuit breaker 'partner' is "));
        assertThat(whileHanging).filteredOn(answer -> answer.offer().reason().startsWith("timeout"))
                .allSatisfy(answer -> assertThat(answer.took()).isGreaterThanOrEqualTo(TIMEOUT));
        assertThat(breaker.getState()).isEqualTo(State.OPEN);

        // 4. healed: after the open wait the breaker goes HALF_OPEN by itself; two good trials close it
        heal();
        await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == State.HALF_OPEN);
        long callsWhenHalfOpen = partnerCalls();
        Offer firstTrial = offer();
        assertThat(firstTrial.source()).isEqualTo(Offer.PARTNER);
        assertThat(breaker.getState()).isEqualTo(State.HALF_OPEN);
        Offer secondTrial = offer();
        assertThat(secondTrial.source()).isEqualTo(Offer.PARTNER);
        assertThat(breaker.getState()).isEqualTo(State.CLOSED);
        assertThat(partnerCalls()).isEqualTo(callsWhenHalfOpen + 2);
        assertThat(offer().source()).isEqualTo(Offer.PARTNER);

        assertThat(transitions.get(0)).isEqualTo("CLOSED->OPEN");
        assertThat(transitions).contains("OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
        assertThat(transitions.subList(transitions.size() - 2, transitions.size()))
                .containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }
}
