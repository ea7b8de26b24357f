package dev.resilience.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The settings table of the README's Settings section (the README is at the root of the repository). */
final class ReadmeSettings {

    static final Path README = Path.of("..", "README.md");

    private ReadmeSettings() {
    }

    /**
     * One row of the table: the kind (as in {@code resilience.<kind>}), the key, its default as written. The key is
     * one of an instance or template of the kind, or a whole property name ({@code resilience.web.problem-details}).
     */
    record Row(String kind, String key, String defaultValue) {

        /** Whether the key is a whole property name rather than a key of the kind's instances and templates. */
        boolean isProperty() {
            return key.startsWith("resilience.");
        }

        /** The property the metadata documents: the key in the kind's 'default' template, or the property itself. */
        String property() {
            return isProperty() ? key : "resilience." + kind + ".configs.default." + key;
        }
    }

    /** Every row of the table under "## Settings", in order. */
    static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(README);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read " + README.toAbsolutePath(), ex);
        }
        List<Row> rows = new ArrayList<>();
        boolean inSettings = false;
        boolean inTable = false;
        String kind = null;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                inSettings = line.equals("## Settings");
                inTable = false;
                continue;
            }
            if (!inSettings) {
                continue;
            }
            if (line.startsWith("| kind | key | default |")) {
                inTable = true;
                continue;
            }
            if (!inTable || line.startsWith("|---")) {
                continue;
            }
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            String[] cells = line.split("\\|", -1);
            String kindCell = cells[1].trim();
            if (!kindCell.isEmpty()) {
                kind = kindCell;
            }
            rows.add(new Row(kind, unquote(cells[2]), unquote(cells[3])));
        }
        if (rows.isEmpty()) {
            throw new AssertionError("No settings table ('| kind | key | default | meaning |') under '## Settings' in "
                    + README.toAbsolutePath());
        }
        return rows;
    }

    private static String unquote(String cell) {
        return cell.trim().replace("`", "");
    }
}
