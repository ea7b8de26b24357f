package dev.resilience.autoconfigure;

import dev.resilience.aop.AsyncReturnType;
import dev.resilience.aop.AsyncReturnTypes;
import dev.resilience.aop.ChainDecorator;
import dev.resilience.aop.PolicyKind;
import dev.resilience.aop.ResilienceAnnotationBeanPostProcessor;
import dev.resilience.aop.ResilienceInterceptor;
import dev.resilience.aop.ResiliencePolicies;
import dev.resilience.core.InstanceRegistry;
import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;
import dev.resilience.core.bulkhead.BulkheadRegistry;
import dev.resilience.core.circuitbreaker.CircuitBreakerFleet;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.core.ratelimiter.LocalRateLimiter;
import dev.resilience.core.ratelimiter.RateLimiterConfig;
import dev.resilience.core.circuitbreaker.LocalCircuitBreaker;
import dev.resilience.core.circuitbreaker.SharedCircuitBreaker;
import dev.resilience.core.ratelimiter.RateLimiterRegistry;
import dev.resilience.core.retry.RetryRegistry;
import dev.resilience.core.timeout.DeadlineWatchdog;
import dev.resilience.core.timeout.TimeoutRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Registers the five registries, the shared scheduler and the post-processor that applies
 * {@code @CircuitBreaker}, {@code @Retry}, {@code @RateLimiter}, {@code @Timeout}, {@code @Bulkhead} and
 * {@code @Fallback}.
 * Each bean backs off when the application defines its own; {@code resilience.enabled=false} turns
 * it all off, and a value of it that is not a boolean fails the start. A key under {@code resilience.}
 * that nothing binds fails the start too.
 */
@AutoConfiguration
@ConditionalOnResilienceEnabled
@EnableConfigurationProperties({CircuitBreakerProperties.class, RetryProperties.class, TimeoutProperties.class,
        BulkheadProperties.class, RateLimiterProperties.class})
public final class ResilienceAutoConfiguration {

    /** Fails the start on a key under {@code resilience.} that nothing binds, before any bean is created. */
    @Bean
    static UnknownKeysCheck resilienceUnknownKeysCheck(Environment environment) {
        return new UnknownKeysCheck(environment);
    }

    @Bean
    @ConditionalOnMissingBean
    public Ticker resilienceTicker() {
        return Ticker.system();
    }

    /**
     * The shared scheduler: one daemon timer thread ({@code resilience-scheduler-1}) for every retry wait,
     * timeout, bulkhead wait and automatic breaker transition, and, for the work it hands on (the next attempt
     * of an asynchronous retry, an asynchronous call that waited for a bulkhead permit), the JVM's
     * {@link ForkJoinPool#commonPool() common pool}: where {@code CompletableFuture} runs its own asynchronous
     * steps, so that protected asynchronous code runs where it would run unprotected, and no pool of ours has
     * to be sized or shut down. Define a {@link Scheduler} bean of your own (for example
     * {@code Scheduler.withDaemonThreads(1, applicationTaskExecutor)}) to run that work elsewhere. Declared as
     * {@link Scheduler.Owned}, a closeable type, so that an ahead-of-time processed (native) context closes it
     * with the context too, as a regular one does.
     */
    @Bean
    @ConditionalOnMissingBean(Scheduler.class)
    public Scheduler.Owned resilienceScheduler() {
        return Scheduler.withDaemonThreads(1, ForkJoinPool.commonPool());
    }

    @Bean
    @ConditionalOnMissingBean
    public CircuitBreakerRegistry circuitBreakerRegistry(CircuitBreakerProperties properties, Ticker ticker,
            Scheduler scheduler, ObjectProvider<CircuitBreakerFleet> fleets, Environment environment) {
        // a fleet exists in fleet mode only (ResilienceFleetAutoConfiguration); 'shared: true' without one fails
        CircuitBreakerFleet fleet = fleets.getIfAvailable();
        if (fleet == null) {
            properties.refuseShared(OnFleetEnabledCondition.isEnabled(environment)
                    ? "needs fleet mode, which is on but has no Redis: add spring-boot-starter-data-redis (Lettuce)"
                    : "needs fleet mode (resilience.fleet.enabled=true, with spring-boot-starter-data-redis): without "
                            + "it each instance's breaker would decide alone. Turn fleet mode on, or remove the key");
        }
        return registry(properties, configFor -> new CircuitBreakerRegistry(name -> fleet != null
                && properties.shared(name)
                ? SharedCircuitBreaker.start(name, configFor.apply(name), ticker, scheduler, fleet)
                : new LocalCircuitBreaker(name, configFor.apply(name), ticker, scheduler)));
    }

    @Bean
    @ConditionalOnMissingBean
    public RetryRegistry retryRegistry(RetryProperties properties, Scheduler scheduler, Ticker ticker) {
        return registry(properties, configFor -> new RetryRegistry(configFor, scheduler, ticker));
    }

    /**
     * Asynchronous calls that wait for a permit are started by the shared scheduler: no thread waits for them. A
     * limiter marked {@code shared: true} is fleet mode's ({@link SharedRateLimiterFactory}); without fleet mode it
     * fails the start, naming where it was set.
     */
    @Bean
    @ConditionalOnMissingBean
    public RateLimiterRegistry rateLimiterRegistry(RateLimiterProperties properties, Ticker ticker,
            Scheduler scheduler, ObjectProvider<SharedRateLimiterFactory> sharedLimiters, Environment environment) {
        SharedRateLimiterFactory shared = sharedLimiters.getIfAvailable();
        if (shared == null) {
            properties.refuseShared(OnFleetEnabledCondition.isEnabled(environment)
                    ? "needs fleet mode, which is on but has no Redis: add spring-boot-starter-data-redis (Lettuce)"
                    : "needs fleet mode (resilience.fleet.enabled=true, with spring-boot-starter-data-redis): without "
                            + "it each instance would admit the whole limit on its own. Turn fleet mode on, or set "
                            + "shared to false to limit each instance by itself");
        }
        return registry(properties, configFor -> new RateLimiterRegistry(name -> {
            RateLimiterConfig config = configFor.apply(name);
            return config.shared() ? shared.create(name, config)
                    : new LocalRateLimiter(name, config, ticker, scheduler);
        }));
    }

    @Bean
    @ConditionalOnMissingBean
    public TimeoutRegistry timeoutRegistry(TimeoutProperties properties, Scheduler scheduler) {
        // synchronous calls are watched without a scheduled task per call; the scheduler measures real time
        return registry(properties, configFor -> new TimeoutRegistry(configFor, scheduler,
                new DeadlineWatchdog(scheduler, Ticker.system())));
    }

    @Bean
    @ConditionalOnMissingBean
    public BulkheadRegistry bulkheadRegistry(BulkheadProperties properties, Scheduler scheduler, Ticker ticker,
            ObjectProvider<TaskDecorator> taskDecorators) {
        // a thread-pool bulkhead runs calls on its own threads: the application's TaskDecorator beans (those
        // Spring Boot also gives its task executor) carry MDC, security context and the like over to them
        TaskDecorator decorator = compose(taskDecorators);
        UnaryOperator<Runnable> contextPropagator = (decorator != null) ? decorator::decorate : UnaryOperator.identity();
        return registry(properties, configFor -> new BulkheadRegistry(configFor, contextPropagator, scheduler, ticker));
    }

    /** A WARN when a breaker opens (with the rate that opened it), an INFO when it closes again. */
    @Bean
    CircuitBreakerTransitionLog circuitBreakerTransitionLog(CircuitBreakerRegistry circuitBreakers) {
        return new CircuitBreakerTransitionLog(circuitBreakers);
    }

    /** At start-up, one INFO line per kind listing its instances, and a WARN for a name that looks mistyped. */
    @Bean
    ResilienceStartupReport resilienceStartupReport(CircuitBreakerRegistry circuitBreakers,
            CircuitBreakerProperties circuitBreakerProperties, RetryRegistry retries, RetryProperties retryProperties,
            TimeoutRegistry timeouts, TimeoutProperties timeoutProperties, BulkheadRegistry bulkheads,
            BulkheadProperties bulkheadProperties, RateLimiterRegistry rateLimiters,
            RateLimiterProperties rateLimiterProperties) {
        return new ResilienceStartupReport(List.of(
                new ResilienceStartupReport.Kind(PolicyKind.RETRY, retries, retryProperties),
                new ResilienceStartupReport.Kind(PolicyKind.RATE_LIMITER, rateLimiters, rateLimiterProperties),
                new ResilienceStartupReport.Kind(PolicyKind.CIRCUIT_BREAKER, circuitBreakers, circuitBreakerProperties),
                new ResilienceStartupReport.Kind(PolicyKind.TIMEOUT, timeouts, timeoutProperties),
                new ResilienceStartupReport.Kind(PolicyKind.BULKHEAD, bulkheads, bulkheadProperties)));
    }

    /**
     * The registry of one kind: every template and instance of its settings validated first (a bad value fails the
     * start, naming its property), then the registry made on their configs, then every configured instance created
     * in it, so that endpoints and meters show it before its first call.
     */
    private static <C, R extends InstanceRegistry<?>> R registry(KindProperties<?, C> properties,
            Function<Function<String, C>, R> create) {
        properties.validate();
        R registry = create.apply(properties::configFor);
        properties.instanceNames().forEach(registry::get);
        return registry;
    }

    /** The standard adapters and every {@link AsyncReturnType} bean, asked in bean order before them. */
    private static AsyncReturnTypes returnTypes(ObjectProvider<AsyncReturnType> asyncReturnTypes) {
        List<AsyncReturnType> beans = asyncReturnTypes.orderedStream().toList();
        AsyncReturnTypes returnTypes = AsyncReturnTypes.standard();
        for (int i = beans.size() - 1; i >= 0; i--) {
            returnTypes = returnTypes.with(beans.get(i));
        }
        return returnTypes;
    }

    /**
     * Every {@link TaskDecorator} bean, in bean order, as Spring Boot composes them for its own task executor:
     * the first one decorates the task first (so its wrapper runs innermost). {@code null} when there is none.
     */
    private static TaskDecorator compose(ObjectProvider<TaskDecorator> taskDecorators) {
        List<TaskDecorator> decorators = taskDecorators.orderedStream().toList();
        return switch (decorators.size()) {
            case 0 -> null;
            case 1 -> decorators.get(0);
            default -> new CompositeTaskDecorator(decorators);
        };
    }

    /**
     * Static and lazy towards the registries, so that declaring the post-processor does not pull the
     * registries (and their properties) out of the normal bean lifecycle. The {@link ChainDecorator} beans
     * (for example the Micrometer observation one), in their order, wrap each chain when it is built, and the
     * {@link AsyncReturnType} beans (Reactor's, when it is on the class path) join the standard adapters then.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    public static ResilienceAnnotationBeanPostProcessor resilienceAnnotationBeanPostProcessor(
            ObjectProvider<CircuitBreakerRegistry> circuitBreakers, ObjectProvider<RetryRegistry> retries,
            ObjectProvider<TimeoutRegistry> timeouts, ObjectProvider<BulkheadRegistry> bulkheads,
            ObjectProvider<RateLimiterRegistry> rateLimiters, ObjectProvider<ChainDecorator> chainDecorators,
            ObjectProvider<AsyncReturnType> asyncReturnTypes, Environment environment) {
        ResiliencePolicies policies = ResiliencePolicies.builder()
                .instances(PolicyKind.CIRCUIT_BREAKER, name -> circuitBreakers.getObject().get(name))
                .instances(PolicyKind.RETRY, name -> retries.getObject().get(name))
                .instances(PolicyKind.RATE_LIMITER, name -> rateLimiters.getObject().get(name))
                .instances(PolicyKind.TIMEOUT, name -> timeouts.getObject().get(name))
                .instances(PolicyKind.BULKHEAD, name -> bulkheads.getObject().get(name))
                .decorator(() -> ChainDecorator.of(chainDecorators.orderedStream().toList()))
                .build();
        ResilienceAnnotationBeanPostProcessor postProcessor = new ResilienceAnnotationBeanPostProcessor(
                new ResilienceInterceptor(policies, () -> returnTypes(asyncReturnTypes)));
        // the same proxy style as the rest of the application's AOP (Spring Boot's default: class proxies)
        postProcessor.setProxyTargetClass(
                environment.getProperty("spring.aop.proxy-target-class", Boolean.class, Boolean.TRUE));
        return postProcessor;
    }
}
