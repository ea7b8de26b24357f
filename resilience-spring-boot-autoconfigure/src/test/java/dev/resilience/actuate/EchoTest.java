package dev.resilience.actuate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EchoTest {

    @Test
    void aShortValueIsRepeatedWhole() {
        assertThat(Echo.quoted("")).isEqualTo("''");
        assertThat(Echo.quoted("AJAR")).isEqualTo("'AJAR'");
        assertThat(Echo.quoted("a".repeat(64))).isEqualTo("'" + "a".repeat(64) + "'");
    }

    @Test
    void aLongValueIsCutAfter64CharactersAndItsLengthGiven() {
        assertThat(Echo.quoted("a".repeat(65))).isEqualTo("'" + "a".repeat(64) + "\u2026' (65 characters)");
    }

    @Test
    void charactersOutsideTheBasicPlaneAreCountedAndNeverCutInHalf() {
        String smiles = "\uD83D\uDE00".repeat(70);

        assertThat(Echo.quoted(smiles)).isEqualTo("'" + "\uD83D\uDE00".repeat(64) + "\u2026' (70 characters)");
        assertThat(Echo.quoted("\uD83D\uDE00".repeat(64))).isEqualTo("'" + "\uD83D\uDE00".repeat(64) + "'");
    }
}
