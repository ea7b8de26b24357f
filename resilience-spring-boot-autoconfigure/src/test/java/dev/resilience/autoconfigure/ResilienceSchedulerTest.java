package dev.resilience.autoconfigure;

import dev.resilience.core.Scheduler;
import dev.resilience.core.TestSchedulers;
import org.junit.jupiter.api.Test;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GeneratedFiles;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.io.InputStreamSource;
import org.springframework.javapoet.ClassName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared scheduler bean: its threads, who replaces it, and that closing the context stops it, AOT included. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResilienceSchedulerTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ResilienceAutoConfiguration.class));

    @Test
    void timerTasksRunOnTheSchedulerThreadAndWorkOffIt() {
        runner.run(context -> {
            Scheduler scheduler = context.getBean(Scheduler.class);
            CompletableFuture<String> timer = new CompletableFuture<>();
            CompletableFuture<String> work = new CompletableFuture<>();
            scheduler.schedule(() -> timer.complete(Thread.currentThread().getName()), 0);
            scheduler.execute(() -> work.complete(Thread.currentThread().getName()));

            assertThat(timer.get()).isEqualTo("resilience-scheduler-1");
            assertThat(work.get()).doesNotStartWith("resilience-scheduler");
        });
    }

    @Test
    void closingTheContextStopsTheScheduler() {
        Scheduler[] scheduler = new Scheduler[1];
        runner.run(context -> scheduler[0] = context.getBean(Scheduler.class));

        assertThatThrownBy(() -> scheduler[0].schedule(() -> { }, 0)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void backsOffForAnySchedulerOfTheApplication() {
        Scheduler own = TestSchedulers.never();
        runner.withBean(Scheduler.class, () -> own)
                .run(context -> assertThat(context).getBean(Scheduler.class).isSameAs(own));
    }

    @Test
    void anAheadOfTimeContextClosesTheSchedulerToo() {
        InMemoryGeneratedFiles files = new InMemoryGeneratedFiles();
        DefaultGenerationContext generationContext = new DefaultGenerationContext(
                new ClassNameGenerator(ClassName.get(getClass().getPackageName(), "SchedulerAotTest")), files);
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(ResilienceAutoConfiguration.class);
            new ApplicationContextAotGenerator().processAheadOfTime(context, generationContext);
        }
        generationContext.writeGeneratedContent();

        String definitions = text(files.getGeneratedFiles(GeneratedFiles.Kind.SOURCE)
                .get("dev/resilience/autoconfigure/ResilienceAutoConfiguration__BeanDefinitions.java"));
        String scheduler = definitions.substring(definitions.indexOf("getResilienceSchedulerBeanDefinition() {"));
        assertThat(scheduler.substring(0, scheduler.indexOf("return beanDefinition;")))
                .contains("setDestroyMethodNames(\"close\")");
    }

    private static String text(InputStreamSource source) {
        assertThat(source).isNotNull();
        try {
            return new String(source.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
