package dev.resilience.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import dev.resilience.aop.ResilienceAnnotationException;

/**
 * Explains a start that failed because the resilience annotations of a method cannot be applied: which method of
 * which bean, why, and what to change. Registered in {@code META-INF/spring.factories}.
 */
class ResilienceAnnotationFailureAnalyzer extends AbstractFailureAnalyzer<ResilienceAnnotationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ResilienceAnnotationException cause) {
        return new FailureAnalysis(cause.getMessage(), action(cause), cause);
    }

    private static String action(ResilienceAnnotationException cause) {
        String method = cause.getMethodDescription() + " of " + cause.getBeanClassName();
        String reason = cause.getReason();
        if (reason.contains("thread-pool bulkhead")) {
            return "Make " + method + " return CompletableFuture (or CompletionStage), or give its bulkhead"
                    + " 'type: semaphore' under resilience.bulkhead.instances.";
        }
        if (reason.contains("not supported")) {
            return "Declare " + method + " to return CompletionStage or CompletableFuture (or Reactor's Mono or Flux,"
                    + " with reactor-core on the class path), or remove its resilience annotations: a method whose"
                    + " result is asynchronous cannot be protected as if it were synchronous.";
        }
        if (reason.startsWith("No ")) {
            return "Check the instance name in the annotation on " + method + ", and that the starter's"
                    + " registries are not replaced by beans that lack it.";
        }
        return "Change the resilience annotations on " + method + " as the description says.";
    }
}
