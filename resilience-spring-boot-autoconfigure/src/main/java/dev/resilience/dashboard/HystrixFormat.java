package dev.resilience.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.resilience.core.bulkhead.BulkheadConfig;
import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerConfig;

/**
 * The frames of {@code /resilience/hystrix.stream}: the same figures in the format of Hystrix's
 * {@code hystrix.stream}, so that a Hystrix dashboard or Turbine reads them. Each interval, one {@code data:} line per
 * command:
 *
 * <ul>
 * <li>one {@code HystrixCommand} per instance name that a circuit breaker, timeout, bulkhead or retry has: a Hystrix
 * command is what one name protects here. Its counts are over the window (ten seconds, Hystrix's rolling window,
 * told as {@code propertyValue_metricsRollingStatisticalWindowInMilliseconds}): {@code rollingCountSuccess} and
 * {@code rollingCountFailure} from the breaker (its failures less the timeouts, which Hystrix counts apart), or
 * else from the timeout, the retry or the bulkhead; {@code rollingCountTimeout} from the timeout;
 * {@code rollingCountShortCircuited} the breaker's refusals; {@code rollingCountSemaphoreRejected} or
 * {@code rollingCountThreadPoolRejected} the bulkhead's, by its type. {@code requestCount} adds them up,
 * {@code errorCount} is all but the successes, {@code errorPercentage} their share (as Hystrix, refusals count as
 * errors). {@code isCircuitBreakerOpen} is true in OPEN, HALF_OPEN and FORCED_OPEN (Hystrix's breaker, too, is open
 * until its trial call closes it). Latencies, in milliseconds, are the breaker's measured calls;
 * {@code currentConcurrentExecutionCount} is the bulkhead's calls inside. The {@code propertyValue_…} fields tell
 * the settings under their Hystrix names (the breaker's {@code minimum-number-of-calls} as the request volume
 * threshold, {@code wait-duration-in-open-state} as the sleep window, and so on). What has no counterpart here (the
 * fallback's and the cache's counts, the collapser) is 0;</li>
 * <li>one {@code HystrixThreadPool} per thread-pool bulkhead.</li>
 * </ul>
 *
 * With no instance at all, a frame is a {@code : ping} comment, as Hystrix sends.
 */
final class HystrixFormat {

    private HystrixFormat() {
    }

    static List<StreamEvent> frame(long timeMillis, long windowMillis, String group, List<Figures> figures) {
        Map<String, Map<String, Figures>> byName = new TreeMap<>();
        for (Figures instance : figures) {
            switch (instance.kind()) {
                case CircuitBreakerTrack.KIND, TimeoutTrack.KIND, BulkheadTrack.KIND, RetryTrack.KIND ->
                        byName.computeIfAbsent(instance.name(), name -> new LinkedHashMap<>())
                                .put(instance.kind(), instance);
                default -> {
                    // a kind Hystrix has no place for
                }
            }
        }
        if (byName.isEmpty()) {
            return List.of(StreamEvent.ping());
        }
        List<StreamEvent> events = new ArrayList<>();
        for (Map.Entry<String, Map<String, Figures>> command : byName.entrySet()) {
            Map<String, Figures> kinds = command.getValue();
            events.add(StreamEvent.frame(command(command.getKey(), group, timeMillis, windowMillis, kinds)));
            Figures bulkhead = kinds.get(BulkheadTrack.KIND);
            if (bulkhead != null && threadPool(bulkhead)) {
                events.add(StreamEvent.frame(threadPool(command.getKey(), timeMillis, windowMillis, bulkhead)));
            }
        }
        return events;
    }

    private static String command(String name, String group, long timeMillis, long windowMillis,
            Map<String, Figures> kinds) {
        Figures breaker = kinds.get(CircuitBreakerTrack.KIND);
        Figures timeout = kinds.get(TimeoutTrack.KIND);
        Figures bulkhead = kinds.get(BulkheadTrack.KIND);
        Figures retry = kinds.get(RetryTrack.KIND);

        long timeouts = timeout == null ? 0 : timeout.windowCount(TimeoutTrack.TIMED_OUT);
        long success;
        long failure;
        if (breaker != null) {
            success = breaker.windowCount(CircuitBreakerTrack.SUCCESSFUL);
            failure = Math.max(0, breaker.windowCount(CircuitBreakerTrack.FAILED) - timeouts);
        }
        else if (timeout != null) {
            success = timeout.windowCount(TimeoutTrack.SUCCESSFUL);
            failure = timeout.windowCount(TimeoutTrack.FAILED);
        }
        else if (retry != null) {
            success = retry.windowCount(RetryTrack.SUCCESSFUL_WITHOUT_RETRY)
                    + retry.windowCount(RetryTrack.SUCCESSFUL_WITH_RETRY);
            failure = retry.windowCount(RetryTrack.FAILED_WITH_RETRY)
                    + retry.windowCount(RetryTrack.FAILED_WITHOUT_RETRY)
                    + retry.windowCount(RetryTrack.BUDGET_EXHAUSTED);
        }
        else {
            success = bulkhead.windowCount(BulkheadTrack.PERMITTED);
            failure = 0;
        }
        long shortCircuited = breaker == null ? 0 : breaker.windowCount(CircuitBreakerTrack.NOT_PERMITTED);
        long rejected = bulkhead == null ? 0 : bulkhead.windowCount(BulkheadTrack.REJECTED);
        boolean pooled = bulkhead != null && threadPool(bulkhead);
        long semaphoreRejected = pooled ? 0 : rejected;
        long threadPoolRejected = pooled ? rejected : 0;
        long requests = success + failure + timeouts + semaphoreRejected + threadPoolRejected + shortCircuited;
        long errors = requests - success;
        long errorPercentage = requests == 0 ? 0 : Math.round(errors * 100.0 / requests);

        CircuitBreaker circuitBreaker = breaker == null ? null : ((CircuitBreakerTrack) breaker.track()).circuitBreaker();
        CircuitBreaker.State state = circuitBreaker == null ? null : CircuitBreaker.State.valueOf(breaker.state());
        CircuitBreakerConfig breakerConfig = circuitBreaker == null ? null : circuitBreaker.getConfig();
        BulkheadTrack bulkheadTrack = bulkhead == null ? null : (BulkheadTrack) bulkhead.track();
        Figures.Latency latency = breaker == null || breaker.latency() == null ? Figures.Latency.NONE : breaker.latency();

        Json json = new Json(2048);
        json.beginObject()
                .field("type", "HystrixCommand")
                .field("name", name)
                .field("group", group)
                .field("currentTime", timeMillis)
                .field("isCircuitBreakerOpen", state == CircuitBreaker.State.OPEN
                        || state == CircuitBreaker.State.HALF_OPEN || state == CircuitBreaker.State.FORCED_OPEN)
                .field("errorPercentage", errorPercentage)
                .field("errorCount", errors)
                .field("requestCount", requests)
                .field("rollingCountBadRequests", 0)
                .field("rollingCountCollapsedRequests", 0)
                .field("rollingCountEmit", 0)
                .field("rollingCountExceptionsThrown", 0)
                .field("rollingCountFailure", failure)
                .field("rollingCountFallbackEmit", 0)
                .field("rollingCountFallbackFailure", 0)
                .field("rollingCountFallbackMissing", 0)
                .field("rollingCountFallbackRejection", 0)
                .field("rollingCountFallbackSuccess", 0)
                .field("rollingCountResponsesFromCache", 0)
                .field("rollingCountSemaphoreRejected", semaphoreRejected)
                .field("rollingCountShortCircuited", shortCircuited)
                .field("rollingCountSuccess", success)
                .field("rollingCountThreadPoolRejected", threadPoolRejected)
                .field("rollingCountTimeout", timeouts)
                .field("currentConcurrentExecutionCount", bulkheadTrack == null ? 0 : bulkheadTrack.inUse())
                .field("rollingMaxConcurrentExecutionCount", bulkheadTrack == null ? 0 : bulkheadTrack.maxInUse());
        latency(json, "latencyExecute", latency);
        latency(json, "latencyTotal", latency);
        json.field("propertyValue_circuitBreakerRequestVolumeThreshold",
                        breakerConfig == null ? 0 : breakerConfig.minimumNumberOfCalls())
                .field("propertyValue_circuitBreakerSleepWindowInMilliseconds",
                        breakerConfig == null ? 0 : breakerConfig.waitDurationInOpenState().toMillis())
                .field("propertyValue_circuitBreakerErrorThresholdPercentage",
                        breakerConfig == null ? 0 : Math.round(breakerConfig.failureRateThreshold()))
                .field("propertyValue_circuitBreakerForceOpen", state == CircuitBreaker.State.FORCED_OPEN)
                .field("propertyValue_circuitBreakerForceClosed", state == CircuitBreaker.State.DISABLED)
                .field("propertyValue_circuitBreakerEnabled", breaker != null)
                .field("propertyValue_executionIsolationStrategy", pooled ? "THREAD" : "SEMAPHORE");
        long timeoutMillis = timeout == null ? 0
                : ((TimeoutTrack) timeout.track()).timeout().getConfig().timeoutDuration().toMillis();
        json.field("propertyValue_executionIsolationThreadTimeoutInMilliseconds", timeoutMillis)
                .field("propertyValue_executionTimeoutInMilliseconds", timeoutMillis)
                .field("propertyValue_executionIsolationThreadInterruptOnTimeout", timeout != null
                        && ((TimeoutTrack) timeout.track()).timeout().getConfig().cancelRunningFuture())
                .field("propertyValue_executionIsolationThreadPoolKeyOverride", (String) null)
                .field("propertyValue_executionIsolationSemaphoreMaxConcurrentRequests",
                        bulkheadTrack == null ? 0 : bulkheadTrack.bulkhead().getMaxConcurrentCalls())
                .field("propertyValue_fallbackIsolationSemaphoreMaxConcurrentRequests", 0)
                .field("propertyValue_metricsRollingStatisticalWindowInMilliseconds", windowMillis)
                .field("propertyValue_requestCacheEnabled", false)
                .field("propertyValue_requestLogEnabled", false)
                .field("reportingHosts", 1)
                .field("threadPool", name);
        return json.endObject().toString();
    }

    private static String threadPool(String name, long timeMillis, long windowMillis, Figures bulkhead) {
        BulkheadTrack track = (BulkheadTrack) bulkhead.track();
        BulkheadConfig config = track.bulkhead().getConfig();
        int active = track.inUse();
        Json json = new Json(1024);
        return json.beginObject()
                .field("type", "HystrixThreadPool")
                .field("name", name)
                .field("currentTime", timeMillis)
                .field("currentActiveCount", active)
                .field("currentCompletedTaskCount", 0)
                .field("currentCorePoolSize", config.coreThreadPoolSize())
                .field("currentLargestPoolSize", config.maxThreadPoolSize())
                .field("currentMaximumPoolSize", config.maxThreadPoolSize())
                .field("currentPoolSize", Math.max(active, config.coreThreadPoolSize()))
                .field("currentQueueSize", 0)
                .field("currentTaskCount", 0)
                .field("rollingCountThreadsExecuted", bulkhead.windowCount(BulkheadTrack.PERMITTED))
                .field("rollingMaxActiveThreads", track.maxInUse())
                .field("rollingCountCommandRejections", bulkhead.windowCount(BulkheadTrack.REJECTED))
                .field("propertyValue_queueSizeRejectionThreshold", config.queueCapacity())
                .field("propertyValue_metricsRollingStatisticalWindowInMilliseconds", windowMillis)
                .field("reportingHosts", 1)
                .endObject().toString();
    }

    private static boolean threadPool(Figures bulkhead) {
        return ((BulkheadTrack) bulkhead.track()).bulkhead().getConfig().type() == BulkheadConfig.Type.THREAD_POOL;
    }

    /** Hystrix's latencies: whole milliseconds at its percentiles, and the mean. */
    private static void latency(Json json, String name, Figures.Latency latency) {
        json.field(name + "_mean", Math.round(latency.meanNanos() / 1e6));
        json.name(name).beginObject();
        double[] percentiles = Figures.Latency.PERCENTILES;
        for (int i = 0; i < percentiles.length; i++) {
            double percent = percentiles[i];
            String key = percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
            json.field(key, Math.round(latency.percentiles()[i] / 1e6));
        }
        json.endObject();
    }
}
