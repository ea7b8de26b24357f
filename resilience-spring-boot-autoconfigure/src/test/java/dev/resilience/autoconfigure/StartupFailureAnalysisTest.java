package dev.resilience.autoconfigure;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import dev.resilience.annotation.Bulkhead;
import dev.resilience.annotation.CircuitBreaker;
import dev.resilience.annotation.Fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every start-up mistake with the annotations is a failure analysis, a description and an action, as Spring Boot
 * prints its own; never a bare stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureAnalysisTest {

    @Test
    void aBadFallbackIsAFailureAnalysis(CapturedOutput output) {
        start(BadFallback.class);

        assertThat(output).contains("APPLICATION FAILED TO START", "Description:", "No fallback method 'missing'",
                "Action:", "Declare the fallback method on the bean class or a superclass with the expected signature");
        assertThat(analysisOf(output)).doesNotContain("\tat ");
    }

    @Test
    void aThreadPoolBulkheadOnASynchronousMethodIsAFailureAnalysis(CapturedOutput output) {
        start(SyncOnPool.class, "--resilience.bulkhead.instances.pool.type=thread-pool");

        assertThat(output).contains("APPLICATION FAILED TO START", "Cannot apply resilience annotations to "
                + "SyncOnPool.call() of bean class " + SyncOnPool.class.getName(), "Action:",
                "Make SyncOnPool.call() of " + SyncOnPool.class.getName() + " return CompletableFuture");
        assertThat(analysisOf(output)).doesNotContain("\tat ");
    }

    @Test
    void anUnsupportedReturnTypeIsAFailureAnalysis(CapturedOutput output) {
        start(PlainFuture.class);

        assertThat(output).contains("APPLICATION FAILED TO START", "PlainFuture.call()", "is asynchronous",
                "Action:", "Declare PlainFuture.call() of " + PlainFuture.class.getName()
                        + " to return CompletionStage or CompletableFuture");
    }

    private static void start(Class<?> bean, String... args) {
        SpringApplication application = new SpringApplication(Starter.class, bean);
        application.setWebApplicationType(WebApplicationType.NONE);
        assertThatException().isThrownBy(() -> application.run(args));
    }

    /** What Spring Boot printed between the banner of the failure and its action. */
    private static String analysisOf(CapturedOutput output) {
        String all = output.getAll();
        int start = all.indexOf("APPLICATION FAILED TO START");
        int end = all.indexOf("Action:", start);
        return all.substring(start, end);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ResilienceAutoConfiguration.class)
    static class Starter {
    }

    static class BadFallback {

        @Fallback("missing")
        @CircuitBreaker
        public String call() {
            return "value";
        }
    }

    static class SyncOnPool {

        @Bulkhead("pool")
        public String call() {
            return "value";
        }
    }

    static class PlainFuture {

        @CircuitBreaker
        public java.util.concurrent.Future<String> call() {
            return CompletableFuture.completedFuture("value");
        }
    }
}
