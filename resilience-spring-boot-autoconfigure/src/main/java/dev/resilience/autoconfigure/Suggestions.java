package dev.resilience.autoconfigure;

import java.util.Collection;

/** The closest of some known words to a word someone typed: for "did you mean" hints. */
final class Suggestions {

    private Suggestions() {
    }

    /** The known word closest to {@code typed} within {@code maxEdits} edits (not {@code typed} itself), or null. */
    static String closest(String typed, Collection<String> known, int maxEdits) {
        String best = null;
        int bestDistance = maxEdits + 1;
        for (String candidate : known) {
            if (candidate.equals(typed)) {
                continue;
            }
            int distance = distance(typed, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** The Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
