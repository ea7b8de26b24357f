package dev.resilience.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.resilience.aop.PolicyKind;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Policy;

/**
 * Once every bean is created (so every annotated method has asked for its instances), logs one INFO line per kind
 * listing its instances, and a WARN for an instance that an annotation uses, that is configured nowhere and whose
 * name is within two edits of a configured one: {@code @CircuitBreaker("partnr")} next to
 * {@code resilience.circuitbreaker.instances.partner} runs with the defaults, which is rarely what was meant.
 */
final class ResilienceStartupReport implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(ResilienceStartupReport.class);

    private final List<Kind> kinds;

    ResilienceStartupReport(List<Kind> kinds) {
        this.kinds = List.copyOf(kinds);
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Kind kind : kinds) {
            Set<String> instances = new TreeSet<>();
            kind.registry().getAll().forEach(policy -> instances.add(((Policy) policy).getName()));
            if (instances.isEmpty()) {
                continue;
            }
            Set<String> configured = kind.properties().instanceNames();
            if (logger.isInfoEnabled()) {
                logger.info("Resilience " + kind.kind().displayName() + " instances: " + String.join(", ", instances));
            }
            for (String instance : instances) {
                if (configured.contains(instance)) {
                    continue;
                }
                String meant = Suggestions.closest(instance, configured, 2);
                if (meant != null) {
                    logger.warn("The " + kind.kind().displayName() + " '" + instance + "' is configured nowhere and"
                            + " runs with the default settings; did you mean '" + meant + "', configured under '"
                            + kind.properties().prefix() + ".instances." + meant + "'?");
                }
            }
        }
    }

    /** One kind: its registry and its settings. */
    record Kind(PolicyKind<?> kind, InstanceRegistry<?> registry, KindProperties<?, ?> properties) {
    }
}
