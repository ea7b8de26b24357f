package dev.resilience.autoconfigure;

import dev.resilience.actuate.ObservationChainDecorator;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Wraps every protected call in a Micrometer observation ({@value ObservationChainDecorator#OBSERVATION_NAME}) when
 * the application has an {@link ObservationRegistry} that is not a no-op one; without one the chains are left
 * exactly as they are.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnResilienceEnabled
public final class ResilienceObservationAutoConfiguration {

    /** Resolves the registry lazily, when the chains are built, so that declaring it creates nothing early. */
    @Bean
    @ConditionalOnMissingBean
    public ObservationChainDecorator resilienceObservationChainDecorator(
            ObjectProvider<ObservationRegistry> observationRegistry) {
        return new ObservationChainDecorator(observationRegistry::getIfUnique);
    }
}
