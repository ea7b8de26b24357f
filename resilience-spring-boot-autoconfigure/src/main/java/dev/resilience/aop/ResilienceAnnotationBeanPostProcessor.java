package dev.resilience.aop;

import java.lang.annotation.Annotation;

import org.springframework.aop.Pointcut;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.core.Ordered;

/**
 * Proxies every bean that carries one of the resilience annotations ({@code @Fallback}, {@code @Retry},
 * {@code @CircuitBreaker}, {@code @Timeout}, {@code @Bulkhead}) on its class, a supertype or an interface, or on
 * one of its methods, and builds the bean's chains at once through {@link ResilienceInterceptor#prepare}, so that
 * a mistake fails the start. It adds one advisor, the way Spring applies {@code @Async} and {@code @Retryable}:
 * no AspectJ weaving is needed.
 *
 * <p><b>Position among other advice.</b> This post-processor adds its advisor <em>before</em> the advisors of an
 * existing proxy ({@code beforeExistingAdvisors = true}). Spring's auto-proxy creator (which applies
 * {@code @Transactional}, {@code @Cacheable} and {@code @Aspect} advice) runs before it, with the highest
 * precedence, so when it reaches a bean that is already a proxy, the resilience chain becomes the outermost advice:
 * every retry attempt runs a new transaction (the failed one rolled back), the timeout and the breaker see the whole
 * transactional call, and a fallback answers after the rollback, outside the transaction. A bean that is not yet a
 * proxy gets a new proxy (JDK or CGLIB, following {@code proxyTargetClass} and the bean factory's preferences).
 *
 * <p>The order ({@link #setOrder}, default {@link Ordered#LOWEST_PRECEDENCE}) applies to this post-processor and
 * to its advisor. Keep it lower in precedence than the auto-proxy creator, or the chain ends up inside a second
 * proxy, inside the transaction.
 */
@SuppressWarnings("serial")
public class ResilienceAnnotationBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private final transient ResilienceInterceptor interceptor;

    private final transient DefaultPointcutAdvisor resilienceAdvisor;

    public ResilienceAnnotationBeanPostProcessor(ResilienceInterceptor interceptor) {
        this.interceptor = interceptor;
        this.resilienceAdvisor = new DefaultPointcutAdvisor(pointcut(), interceptor);
        this.resilienceAdvisor.setOrder(getOrder());
        this.advisor = this.resilienceAdvisor;
        setBeforeExistingAdvisors(true);
    }

    /** Sets the order of this post-processor and of its advisor. */
    @Override
    public void setOrder(int order) {
        super.setOrder(order);
        if (this.resilienceAdvisor != null) {
            this.resilienceAdvisor.setOrder(order);
        }
    }

    public ResilienceInterceptor getInterceptor() {
        return this.interceptor;
    }

    /** The advisor added to annotated beans: the annotation pointcut and the {@link ResilienceInterceptor}. */
    public DefaultPointcutAdvisor getAdvisor() {
        return this.resilienceAdvisor;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object result = super.postProcessAfterInitialization(bean, beanName);
        if (result instanceof Advised advised && advised.indexOf(this.resilienceAdvisor) >= 0) {
            this.interceptor.prepare(AopUtils.getTargetClass(result));
        }
        return result;
    }

    private static Pointcut pointcut() {
        ComposablePointcut pointcut = null;
        for (Class<? extends Annotation> type : ResilienceInterceptor.ANNOTATION_TYPES) {
            Pointcut onType = new AnnotationMatchingPointcut(type, true);
            Pointcut onMethod = new AnnotationMatchingPointcut(null, type, true);
            pointcut = (pointcut == null) ? new ComposablePointcut(onType) : pointcut.union(onType);
            pointcut = pointcut.union(onMethod);
        }
        return pointcut;
    }
}
