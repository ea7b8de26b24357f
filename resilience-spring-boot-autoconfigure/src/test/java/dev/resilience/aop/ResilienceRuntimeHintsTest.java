package dev.resilience.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ReflectiveMethodInvocation;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;
import org.springframework.util.ReflectionUtils;

import dev.resilience.annotation.Fallback;
import dev.resilience.annotation.Retry;
import dev.resilience.autoconfigure.ResilienceAutoConfiguration;

/**
 * The hints a native image needs. The processor and the registrar are first asked alone, bean class by bean class;
 * then an application context with the auto-configuration and annotated beans is processed ahead of time as a real
 * build does it, which finds both through {@code META-INF/spring/aot.factories}.
 */
class ResilienceRuntimeHintsTest {

    private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

    @Test
    void theFieldsThatLetARetryRewindTheInvocationCanBeReached() {
        RuntimeHints hints = new RuntimeHints();
        new ResilienceRuntimeHints().registerHints(hints, getClass().getClassLoader());

        assertThat(reflection.onFieldAccess(ReflectiveMethodInvocation.class, "currentInterceptorIndex")).accepts(hints);
        assertThat(reflection.onFieldAccess(ReflectiveMethodInvocation.class, "interceptorsAndDynamicMethodMatchers"))
                .accepts(hints);
        // the names are the real ones: on this class path the invocation rewinds through them
        assertThat(ReflectionUtils.findField(ReflectiveMethodInvocation.class, RewindableInvocation.INDEX_FIELD)).isNotNull();
        assertThat(ReflectionUtils.findField(ReflectiveMethodInvocation.class, RewindableInvocation.INTERCEPTORS_FIELD))
                .isNotNull();
        assertThat(RewindableInvocation.rewinds()).isTrue();
    }

    @Test
    void everyOverloadOfAFallbackCanBeInvoked() {
        RuntimeHints hints = hintsOf(PricedService.class);

        assertThat(reflection.onMethodInvocation(method(PricedService.class, "cached", String.class))).accepts(hints);
        assertThat(reflection.onMethodInvocation(
                method(PricedService.class, "cached", String.class, IllegalStateException.class))).accepts(hints);
        // the annotations are looked up on the declared methods when the bean is proxied
        assertThat(reflection.onType(PricedService.class)).accepts(hints);
        assertThat(reflection.onMethodInvocation(PricedService.class, "price")).rejects(hints);
    }

    @Test
    void aFallbackOnTheBeanClassForAMethodDeclaredOnItsSuperclass() {
        RuntimeHints hints = hintsOf(DerivedService.class);

        assertThat(reflection.onMethodInvocation(DerivedService.class, "answer")).accepts(hints);
        assertThat(reflection.onType(BaseService.class)).accepts(hints);
        assertThat(reflection.onType(DerivedService.class)).accepts(hints);
    }

    @Test
    void aFallbackInheritedFromASuperclass() {
        assertThat(reflection.onMethodInvocation(BaseService.class, "inherited")).accepts(hintsOf(DerivedService.class));
    }

    @Test
    void aFallbackNamedOnTheType() {
        assertThat(reflection.onMethodInvocation(TypeLevelService.class, "whole")).accepts(hintsOf(TypeLevelService.class));
    }

    @Test
    void aFallbackNamedOnAnInterfaceMethod() {
        RuntimeHints hints = hintsOf(RemoteClient.class);

        assertThat(reflection.onMethodInvocation(RemoteClient.class, "offline")).accepts(hints);
        assertThat(reflection.onType(Remote.class)).accepts(hints);
    }

    @Test
    void aBeanWithOtherAnnotationsOnlyIsIntrospectedAndNothingOfItIsInvoked() {
        RuntimeHints hints = hintsOf(RetriedService.class);

        assertThat(reflection.onType(RetriedService.class)).accepts(hints);
        assertThat(reflection.onMethodInvocation(RetriedService.class, "notAFallback")).rejects(hints);
    }

    @Test
    void aBeanWithoutResilienceAnnotationsContributesNothing() {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("plain", new RootBeanDefinition(PlainService.class));

        assertThat(new ResilienceBeanRegistrationAotProcessor()
                .processAheadOfTime(RegisteredBean.of(beanFactory, "plain"))).isNull();
    }

    @Test
    void aBuildFindsTheRegistrarAndTheProcessor() {
        DefaultGenerationContext generationContext = generationContext();
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(ResilienceAutoConfiguration.class);
            context.registerBean(DerivedService.class);
            context.registerBean(PlainService.class);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
        }
        RuntimeHints hints = generationContext.getRuntimeHints();

        assertThat(reflection.onFieldAccess(ReflectiveMethodInvocation.class, "currentInterceptorIndex")).accepts(hints);
        // only this processor names a fallback declared on a superclass of the bean
        assertThat(reflection.onMethodInvocation(BaseService.class, "inherited")).accepts(hints);
        assertThat(reflection.onMethodInvocation(method(PlainService.class, "cached", String.class))).rejects(hints);
    }

    /** The hints that the processor alone contributes for a bean of {@code beanClass}. */
    private static RuntimeHints hintsOf(Class<?> beanClass) {
        DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
        beanFactory.registerBeanDefinition("bean", new RootBeanDefinition(beanClass));
        BeanRegistrationAotContribution contribution =
                new ResilienceBeanRegistrationAotProcessor().processAheadOfTime(RegisteredBean.of(beanFactory, "bean"));
        assertThat(contribution).isNotNull();
        DefaultGenerationContext generationContext = generationContext();
        contribution.applyTo(generationContext, mock(BeanRegistrationCode.class));
        return generationContext.getRuntimeHints();
    }

    private static DefaultGenerationContext generationContext() {
        return new DefaultGenerationContext(new ClassNameGenerator(
                ClassName.get(ResilienceRuntimeHintsTest.class.getPackageName(), "AotTest")), new InMemoryGeneratedFiles());
    }

    private static Method method(Class<?> type, String name, Class<?>... parameterTypes) {
        Method method = ReflectionUtils.findMethod(type, name, parameterTypes);
        assertThat(method).as(name).isNotNull();
        return method;
    }

    static class PricedService {

        @Fallback("cached")
        public String price(String id) {
            throw new IllegalStateException(id);
        }

        private String cached(String id) {
            return "cached " + id;
        }

        private String cached(String id, IllegalStateException failure) {
            return "cached " + id + " after " + failure.getMessage();
        }
    }

    abstract static class BaseService {

        @Fallback("answer")
        public String call() {
            throw new IllegalStateException("down");
        }

        @Fallback("inherited")
        public String other() {
            throw new IllegalStateException("down");
        }

        String inherited(Throwable failure) {
            return "inherited";
        }
    }

    static class DerivedService extends BaseService {

        String answer(Throwable failure) {
            return "answer";
        }
    }

    @Fallback("whole")
    static class TypeLevelService {

        public String one() {
            throw new IllegalStateException("down");
        }

        String whole(Throwable failure) {
            return "whole";
        }
    }

    interface Remote {

        @Fallback("offline")
        String fetch();
    }

    static class RemoteClient implements Remote {

        @Override
        public String fetch() {
            throw new IllegalStateException("down");
        }

        String offline() {
            return "offline";
        }
    }

    static class RetriedService {

        @Retry
        public String call() {
            return "called";
        }

        String notAFallback() {
            return "never invoked by the interceptor";
        }
    }

    static class PlainService {

        public String cached(String id) {
            return id;
        }
    }
}
