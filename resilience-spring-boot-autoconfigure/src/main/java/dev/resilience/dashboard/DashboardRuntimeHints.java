package dev.resilience.dashboard;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the live view reads from the jar at run time, for a native image: the dashboard's HTML file. (The kinds it has
 * no track of its own for are read by reflection, which a native image needs hints for from that kind's own
 * module.)
 */
public class DashboardRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        hints.resources().registerPattern(DashboardPage.RESOURCE_PATH);
    }
}
