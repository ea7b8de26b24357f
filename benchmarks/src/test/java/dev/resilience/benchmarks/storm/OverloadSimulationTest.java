package dev.resilience.benchmarks.storm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.resilience.benchmarks.storm.OverloadSimulation.Guard;
import dev.resilience.benchmarks.storm.OverloadSimulation.PhaseFigures;
import dev.resilience.benchmarks.storm.OverloadSimulation.Run;

/**
 * The overload simulation's claims, on its fixed seed (phases: 0 = 50 %, 1 = 200 %, 2 = 100 % with the partner 3x
 * slower, 3 = 100 % recovered): goodput holds at overload with a bulkhead and collapses without one, the latency of
 * admitted calls stays bounded, and the adaptive limit falls when the partner slows and recovers after.
 */
class OverloadSimulationTest {

    private static final int OVERLOAD = 1;
    private static final int SLOW = 2;
    private static final int RECOVERED = 3;

    private final Run gradient2 = OverloadSimulation.run(Guard.ADAPTIVE, OverloadSimulation.SEED);
    private final Run vegas = OverloadSimulation.run(Guard.ADAPTIVE_VEGAS, OverloadSimulation.SEED);
    private final Run fixed = OverloadSimulation.run(Guard.FIXED, OverloadSimulation.SEED);
    private final Run none = OverloadSimulation.run(Guard.NONE, OverloadSimulation.SEED);

    @Test
    void withoutABulkheadGoodputCollapsesAtOverloadAndDoesNotComeBack() {
        assertThat(none.phase(OVERLOAD).goodput()).isLessThan(0.15 * OverloadSimulation.CAPACITY_PER_SECOND);
        assertThat(none.phase(SLOW).goodput()).isZero();
        assertThat(none.phase(RECOVERED).goodput()).as("the partner still works off abandoned calls").isZero();
        assertThat(none.phase(RECOVERED).p99Millis()).isEqualTo(OverloadSimulation.DEADLINE.toMillis());
    }

    @Test
    void theAdaptiveBulkheadHoldsGoodputAtOverloadAboveTheFixedOneOfItsInitialSize() {
        double capacity = OverloadSimulation.CAPACITY_PER_SECOND;
        assertThat(gradient2.phase(OVERLOAD).goodput()).isGreaterThan(0.9 * capacity)
                .isGreaterThan(1.8 * fixed.phase(OVERLOAD).goodput());
        assertThat(vegas.phase(OVERLOAD).goodput()).isGreaterThan(1.3 * fixed.phase(OVERLOAD).goodput());
        assertThat(fixed.phase(OVERLOAD).goodput()).as("20 places for a partner of 40").isLessThan(0.5 * capacity);
        assertThat(gradient2.phase(RECOVERED).goodput()).isGreaterThan(0.95 * capacity);
    }

    @Test
    void theLatencyOfAdmittedCallsStaysBoundedAndNoAdmittedCallTimesOut() {
        for (Run run : List.of(gradient2, vegas, fixed)) {
            assertThat(run.phases()).as(run.guard().label).allSatisfy(phase -> {
                assertThat(phase.timedOut()).isZero();
                assertThat(phase.p99Millis()).isLessThan(0.3 * OverloadSimulation.DEADLINE.toMillis());
            });
        }
        // Gradient2 buys its goodput with some queueing at the partner: under 5x the base latency at p99
        assertThat(gradient2.phase(OVERLOAD).p99Millis()).isLessThan(5 * 20);
        assertThat(vegas.phase(OVERLOAD).p99Millis()).isLessThan(2 * 20);
    }

    /**
     * What holds, and only that: Gradient2's limit dips at the step where the partner slows (lower than anywhere in
     * the overload before), then re-learns the slower latency as the new normal; on average it hardly falls, since
     * the partner's parallel capacity (40 calls) did not change. After the partner recovered it climbs to max-limit:
     * with the load at capacity nothing pushes the latency up. (Vegas probes at random moments, Netflix's
     * ThreadLocalRandom, so its limits are not asserted; its goodput and latency are, with room for that.)
     */
    @Test
    void gradient2sLimitDipsWhenThePartnerSlowsAndClimbsAfterItRecovered() {
        PhaseFigures slow = gradient2.phase(SLOW);
        assertThat(slow.minLimit()).isLessThan(gradient2.phase(OVERLOAD).minLimit());
        assertThat(slow.meanLimit()).isLessThan(gradient2.phase(OVERLOAD).meanLimit());
        assertThat(gradient2.phase(RECOVERED).maxLimit()).isEqualTo(200);
        assertThat(gradient2.phase(RECOVERED).meanLimit()).isGreaterThan(slow.meanLimit());
    }

    @Test
    void theSameSeedGivesTheSameFigures() {
        assertThat(OverloadSimulation.run(Guard.ADAPTIVE, OverloadSimulation.SEED).phases())
                .isEqualTo(gradient2.phases());
    }

    @Test
    void theProgramPrintsItsTableAndWritesThePlot(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("storm-overload.png");
        OverloadSimulation.main(new String[] {png.toString()});
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
        assertThat(OverloadSimulation.table(List.of(gradient2, fixed))).contains("| 200 % | fixed semaphore, 20 |");
    }
}
