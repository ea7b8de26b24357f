package dev.resilience.parity;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs seeded random scenarios and, when one fails, shrinks its steps to a short sequence that still fails and
 * reports the seed, the settings, that sequence and the first mismatch: rerun one seed with
 * {@code -Dparity.seed=<seed>}, or more scenarios with {@code -Dparity.scenarios=<n>}.
 */
final class Scenarios {

    /** The base seed CI runs with; every scenario's seed is this plus its index. */
    static final long BASE_SEED = 20_261_124L;

    private Scenarios() {
    }

    /** One scenario: settings and steps drawn from its seed, and a run that answers the first mismatch or null. */
    interface Scenario<S> {

        /** Draws the settings, in a form that prints as the yml keys. */
        Object settings();

        List<S> steps();

        /** Runs {@code steps} from scratch on both sides with the settings; the first mismatch, or {@code null}. */
        String run(List<S> steps);
    }

    /** Runs {@code count} scenarios made by {@code factory} from consecutive seeds (or the one seed asked for). */
    static <S> int check(String what, int count, Function<Random, Scenario<S>> factory) {
        String oneSeed = System.getProperty("parity.seed");
        int scenarios = Integer.getInteger("parity.scenarios", count);
        long first = oneSeed != null ? Long.parseLong(oneSeed) : BASE_SEED;
        int runs = oneSeed != null ? 1 : scenarios;
        int steps = 0;
        for (int index = 0; index < runs; index++) {
            long seed = first + index;
            Scenario<S> scenario = factory.apply(new Random(seed));
            List<S> all = scenario.steps();
            steps += all.size();
            String mismatch = scenario.run(all);
            if (mismatch != null) {
                List<S> minimal = shrink(scenario, all);
                throw new AssertionError(what + ": scenario with seed " + seed + " differs from Resilience4j 2.4.0"
                        + "\n  settings: " + scenario.settings()
                        + "\n  steps (" + minimal.size() + " of " + all.size() + ", shrunk): " + numbered(minimal)
                        + "\n  first mismatch: " + scenario.run(minimal)
                        + "\n  rerun with -Dparity.seed=" + seed);
            }
        }
        return steps;
    }

    /** Removes chunks of steps, then single steps, as long as the scenario still fails. */
    static <S> List<S> shrink(Scenario<S> scenario, List<S> failing) {
        List<S> current = new ArrayList<>(failing);
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1; chunk /= 2) {
            boolean removed = true;
            while (removed) {
                removed = false;
                for (int start = 0; start < current.size(); start += chunk) {
                    List<S> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(Math.min(current.size(), start + chunk), current.size()));
                    if (!candidate.isEmpty() && scenario.run(candidate) != null) {
                        current = candidate;
                        removed = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    private static <S> String numbered(List<S> steps) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            lines.add("\n    " + (i + 1) + ". " + steps.get(i));
        }
        return lines.stream().collect(Collectors.joining());
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
