package dev.resilience.autoconfigure;

import dev.resilience.aop.AsyncReturnType;
import dev.resilience.aop.reactor.ReactorReturnType;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import reactor.core.publisher.Mono;

/**
 * Protects methods that return Reactor's {@code Mono} or {@code Flux} when reactor-core is on the class path: the two
 * adapters ({@link ReactorReturnType}) onto the asynchronous path of the policies, which the post-processor of
 * {@link ResilienceAutoConfiguration} picks up with every other {@link AsyncReturnType} bean. Without Reactor nothing
 * is registered, and a method returning a {@code Publisher} still fails the start.
 */
@AutoConfiguration
@ConditionalOnClass(Mono.class)
@ConditionalOnResilienceEnabled
public final class ResilienceReactorAutoConfiguration {

    /** The adapter of methods that return {@code Mono}. */
    @Bean
    @ConditionalOnMissingBean(name = "resilienceMonoReturnType")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static AsyncReturnType resilienceMonoReturnType() {
        return ReactorReturnType.mono();
    }

    /** The adapter of methods that return {@code Flux}. */
    @Bean
    @ConditionalOnMissingBean(name = "resilienceFluxReturnType")
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static AsyncReturnType resilienceFluxReturnType() {
        return ReactorReturnType.flux();
    }
}
