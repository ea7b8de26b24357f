package dev.resilience.autoconfigure;

import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.web.ResilienceExceptionHandler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

/**
 * Over HTTP: a policy's exception that escapes a Spring MVC or WebFlux handler, and that the application does not
 * handle itself, answers an RFC 9457 problem detail with the right status ({@link ResilienceExceptionHandler}).
 * {@code resilience.web.problem-details=false} turns it off; an application's own {@link ResilienceExceptionHandler}
 * bean replaces ours.
 */
@AutoConfiguration(after = ResilienceAutoConfiguration.class)
@ConditionalOnResilienceEnabled
@ConditionalOnClass(ProblemDetail.class)
@Conditional(OnWebProblemDetailsCondition.class)
public final class ResilienceWebAutoConfiguration {

    static ResilienceExceptionHandler handler(ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
        return new ResilienceExceptionHandler(circuitBreakers.getIfAvailable());
    }

    /** Spring MVC: the advice of {@code DispatcherServlet}'s exception handler resolver. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class ServletProblemDetailsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilienceExceptionHandler resilienceExceptionHandler(ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
            return handler(circuitBreakers);
        }
    }

    /** WebFlux: the advice of {@code DispatcherHandler}'s annotated controllers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
    static class ReactiveProblemDetailsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ResilienceExceptionHandler resilienceExceptionHandler(ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
            return handler(circuitBreakers);
        }
    }
}
