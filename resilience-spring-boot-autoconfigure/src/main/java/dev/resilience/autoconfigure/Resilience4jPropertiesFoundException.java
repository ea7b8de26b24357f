package dev.resilience.autoconfigure;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The environment holds {@code resilience4j.*} properties that nothing reads; explained by
 * {@link Resilience4jPropertiesFailureAnalyzer}, with the {@code resilience.*} settings to use instead.
 */
public class Resilience4jPropertiesFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Resilience4jMigration.Result migration;

    Resilience4jPropertiesFoundException(List<Resilience4jMigration.Setting> settings,
            Resilience4jMigration.Result migration) {
        super(description(settings), null, false, false);
        this.migration = migration;
    }

    private static String description(List<Resilience4jMigration.Setting> settings) {
        return "The environment holds " + settings.size() + " Resilience4j propert" + (settings.size() == 1 ? "y" : "ies")
                + " (resilience4j.*), but Resilience4j is not on the class path and this starter reads resilience.*: "
                + "nothing reads them, so what they tune would run with the defaults.\n"
                + settings.stream().map(setting -> "    " + setting.described()).collect(Collectors.joining("\n"));
    }

    /** What to do: the equivalent settings to paste, what does not carry over, and how to start anyway. */
    public String getAction() {
        StringBuilder action = new StringBuilder();
        if (!migration.yaml().isEmpty()) {
            action.append("Replace them with these settings (application.yml; the same keys under resilience., with "
                    + "timelimiter as timeout and thread-pool-bulkhead as bulkhead with type: thread-pool):\n\n")
                    .append(migration.yaml().indent(4));
        }
        if (!migration.dropped().isEmpty()) {
            action.append(migration.yaml().isEmpty() ? "" : "\n").append("These have no equivalent here; remove them:\n")
                    .append(migration.dropped().stream().map(line -> "    " + line).collect(Collectors.joining("\n")))
                    .append('\n');
        }
        action.append("\nTo start anyway and only log this, set ").append(Resilience4jPropertiesCheck.MODE_PROPERTY)
                .append("=warn.");
        return action.toString();
    }

    /** The equivalent {@code resilience.*} settings as a YAML block; empty when none carry over. */
    public String getYaml() {
        return migration.yaml();
    }
}
