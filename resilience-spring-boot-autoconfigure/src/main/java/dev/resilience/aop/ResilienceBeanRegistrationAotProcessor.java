package dev.resilience.aop;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

import dev.resilience.annotation.Fallback;

/**
 * Tells a native image, bean by bean, what the interceptor reaches by reflection in a bean it protects: the
 * declared methods of the classes and interfaces that carry the resilience annotations, where it looks the
 * annotations up when the bean is proxied, and every fallback method named by a {@code @Fallback}, which it
 * invokes through a method handle ({@link FallbackMethod}).
 *
 * <p>Why a {@link BeanRegistrationAotProcessor} rather than {@code @Reflective}, with which Spring covers
 * {@code @EventListener} and {@code @Scheduled}: there the annotated method is the one invoked, and a
 * {@code ReflectiveProcessor} registers the element it is handed. A fallback is another method, looked up by
 * name from the bean's own class upwards, and may be declared on a subclass of the class that declares the
 * annotated method; only the bean's class tells where to look, and a bean registration processor is handed
 * exactly that, as Spring's own {@code BeanValidationBeanRegistrationAotProcessor} is for the constraint
 * annotations of a bean class. It also leaves the public annotation free of AOT meta-annotations.
 *
 * <p>Registered in {@code META-INF/spring/aot.factories}. A bean whose class carries no resilience annotation
 * contributes nothing.
 */
class ResilienceBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    private static final String ANNOTATION_PACKAGE = Fallback.class.getPackageName();

    @Override
    public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
        Class<?> beanClass = ClassUtils.getUserClass(registeredBean.getBeanClass());
        Set<Class<?>> annotatedTypes = new LinkedHashSet<>();
        Set<String> fallbackNames = new LinkedHashSet<>();
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            inspect(type, annotatedTypes, fallbackNames);
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(beanClass)) {
            inspect(type, annotatedTypes, fallbackNames);
        }
        if (annotatedTypes.isEmpty()) {
            return null;
        }
        // a type-level annotation covers the public methods the bean inherits: every superclass is looked into
        Set<Class<?>> introspected = new LinkedHashSet<>(annotatedTypes);
        for (Class<?> type = beanClass; type != null && type != Object.class; type = type.getSuperclass()) {
            introspected.add(type);
        }
        List<Method> fallbacks = new ArrayList<>();
        for (String name : fallbackNames) {
            fallbacks.addAll(FallbackMethod.declaredNamed(beanClass, name));
        }
        return (generationContext, code) -> {
            ReflectionHints hints = generationContext.getRuntimeHints().reflection();
            introspected.forEach(hints::registerType);
            fallbacks.forEach(method -> hints.registerMethod(method, ExecutableMode.INVOKE));
        };
    }

    /** Notes whether {@code type} or a method it declares carries a resilience annotation, and the fallback names. */
    private static void inspect(Class<?> type, Set<Class<?>> annotatedTypes, Set<String> fallbackNames) {
        boolean annotated = inspect(type, fallbackNames);
        for (Method method : type.getDeclaredMethods()) {
            annotated |= inspect(method, fallbackNames);
        }
        if (annotated) {
            annotatedTypes.add(type);
        }
    }

    /** Whether the element carries a resilience annotation, directly or as a meta-annotation. */
    private static boolean inspect(AnnotatedElement element, Set<String> fallbackNames) {
        MergedAnnotations annotations = MergedAnnotations.from(element);
        annotations.stream(Fallback.class)
                .map(MergedAnnotation::synthesize)
                .map(Fallback::method)
                .filter(name -> !name.isEmpty())
                .forEach(fallbackNames::add);
        return annotations.stream()
                .anyMatch(annotation -> annotation.getType().getPackageName().equals(ANNOTATION_PACKAGE));
    }
}
