package dev.resilience.autoconfigure;

import java.time.Clock;

import dev.resilience.core.InstanceRegistry;
import dev.resilience.dashboard.DashboardMvcController;
import dev.resilience.dashboard.DashboardPage;
import dev.resilience.dashboard.DashboardRuntimeHints;
import dev.resilience.dashboard.DashboardWebFluxController;
import dev.resilience.dashboard.LiveView;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;

/**
 * The live view ({@code resilience.dashboard.enabled=true}, off by default): the dashboard page at
 * {@code resilience.dashboard.path}, {@code /resilience/stream} and {@code /resilience/hystrix.stream}, on the
 * application's own Spring MVC or WebFlux server. One {@link LiveView} reads every registry's instances once per
 * {@code resilience.dashboard.interval} and feeds every client; the WebFlux part only when Reactor is on the class
 * path and the application is reactive. The paths are not opened to anyone by this: with Spring Security, the
 * application's rules apply to them as to its own paths.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnResilienceEnabled
@Conditional(OnDashboardEnabledCondition.class)
@ConditionalOnWebApplication
@EnableConfigurationProperties(DashboardProperties.class)
@ImportRuntimeHints(DashboardRuntimeHints.class)
public final class ResilienceDashboardAutoConfiguration {

    /** Every registry of the context, of any kind (a kind added later included). */
    @Bean
    @ConditionalOnMissingBean
    public LiveView resilienceLiveView(DashboardProperties properties, ObjectProvider<InstanceRegistry<?>> registries,
            Environment environment) {
        properties.validate();
        return new LiveView(registries.orderedStream().toList(), properties.interval(),
                environment.getProperty("spring.application.name", "resilience"), Clock.systemUTC(), System::nanoTime);
    }

    @Bean
    @ConditionalOnMissingBean
    public DashboardPage resilienceDashboardPage(DashboardProperties properties) {
        properties.validate();
        return new DashboardPage(properties.path());
    }

    /** Spring MVC: {@code SseEmitter} streams. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.mvc.method.annotation.SseEmitter")
    static class ServletDashboardConfiguration {

        @Bean
        @ConditionalOnMissingBean
        DashboardMvcController resilienceDashboardMvcController(LiveView liveView, DashboardPage page) {
            return new DashboardMvcController(liveView, page);
        }
    }

    /** WebFlux: a {@code Flux} of server-sent events per client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = {"reactor.core.publisher.Flux", "org.springframework.web.reactive.DispatcherHandler"})
    static class ReactiveDashboardConfiguration {

        @Bean
        @ConditionalOnMissingBean
        DashboardWebFluxController resilienceDashboardWebFluxController(LiveView liveView, DashboardPage page) {
            return new DashboardWebFluxController(liveView, page);
        }
    }
}
