package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import dev.resilience.core.retry.Retry;
import dev.resilience.core.retry.RetryConfig;
import dev.resilience.core.retry.RetryMetrics;
import dev.resilience.core.retry.RetryRegistry;

/**
 * The {@code retries} endpoint: every retry instance with its settings and how its calls ended. The settings hold
 * {@code budget} ({@code ratio}, {@code minRetriesPerSecond}; {@code null} without a budget), and with a budget the
 * metrics add {@code budgetRetriesAvailable}: the retries the budget would allow now.
 */
@Endpoint(id = RetriesEndpoint.ID)
public class RetriesEndpoint {

    /** The endpoint id. */
    public static final String ID = "retries";

    private final RetryRegistry registry;

    public RetriesEndpoint(RetryRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** {@code GET /actuator/retries}. */
    @ReadOperation
    public RetriesDescriptor retries() {
        Map<String, InstanceDescriptor<Map<String, Object>>> all = new TreeMap<>();
        registry.getAll().forEach(retry -> all.put(retry.getName(), describe(retry)));
        return new RetriesDescriptor(all);
    }

    /** {@code GET /actuator/retries/{name}}; 404 when there is none of this name. */
    @ReadOperation
    public @Nullable InstanceDescriptor<Map<String, Object>> retry(@Selector String name) {
        return registry.find(name).map(RetriesEndpoint::describe).orElse(null);
    }

    private static InstanceDescriptor<Map<String, Object>> describe(Retry retry) {
        RetryConfig config = retry.getConfig();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("maxAttempts", config.maxAttempts());
        settings.put("waitDuration", InstanceDescriptor.duration(config.waitDuration()));
        settings.put("enableExponentialBackoff", config.enableExponentialBackoff());
        settings.put("exponentialBackoffMultiplier", config.exponentialBackoffMultiplier());
        settings.put("exponentialMaxWaitDuration", InstanceDescriptor.duration(config.exponentialMaxWaitDuration()));
        settings.put("enableRandomizedWait", config.enableRandomizedWait());
        settings.put("randomizedWaitFactor", config.randomizedWaitFactor());
        settings.put("retryExceptions", InstanceDescriptor.classNames(config.retryExceptions()));
        settings.put("ignoreExceptions", InstanceDescriptor.classNames(config.ignoreExceptions()));
        settings.put("retryOnCircuitBreakerOpen", config.retryOnCircuitBreakerOpen());
        RetryConfig.Budget budget = config.budget();
        Map<String, Object> budgetSettings = null;
        if (budget != null) {
            budgetSettings = new LinkedHashMap<>();
            budgetSettings.put("ratio", budget.ratio());
            budgetSettings.put("minRetriesPerSecond", budget.minRetriesPerSecond());
        }
        settings.put("budget", budgetSettings);
        RetryMetrics figures = retry.getMetrics();
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("successfulCallsWithoutRetry", figures.successfulCallsWithoutRetry());
        metrics.put("successfulCallsWithRetry", figures.successfulCallsWithRetry());
        metrics.put("failedCallsWithRetry", figures.failedCallsWithRetry());
        metrics.put("failedCallsWithoutRetry", figures.failedCallsWithoutRetry());
        metrics.put("failedCallsBudgetExhausted", figures.failedCallsBudgetExhausted());
        if (retry.getBudget() != null) {
            metrics.put("budgetRetriesAvailable", retry.getBudget().availableRetries());
        }
        return new InstanceDescriptor<>(settings, metrics);
    }

    /** @param retries every retry instance by name, in name order */
    public record RetriesDescriptor(Map<String, InstanceDescriptor<Map<String, Object>>> retries) {
    }
}
