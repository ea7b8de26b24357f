package dev.resilience.actuate;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.ProxyMethodInvocation;

import dev.resilience.aop.ChainDecorator;
import dev.resilience.aop.PolicyKind;
import dev.resilience.aop.ProtectedMethod;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.Failures;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.TimeoutExceededException;

/**
 * Wraps each protected call (the whole chain, fallback included) in one Micrometer {@link Observation} named
 * {@value #OBSERVATION_NAME}, so that a tracer sees it as a span and the observation handlers (for example Spring
 * Boot's timer handler) see it as a timed call.
 *
 * <p>Every observation has the same low-cardinality keys, so that a registry such as Prometheus, which wants one set
 * of tags per meter name, takes them all:
 * <ul>
 * <li>{@code outcome}: what the caller got: {@code success}, {@code fallback} (the fallback answered),
 * {@code failure}, {@code not_permitted}, {@code timeout}, {@code rejected} (a full bulkhead, a rate limiter out of
 * permits), or {@code cancelled} when the caller cancelled an asynchronous call;</li>
 * <li>{@code cause}: how the chain inside the fallback ended when it failed ({@code failure}, {@code not_permitted},
 * {@code timeout}, {@code rejected}), {@code none} otherwise, so that a call the fallback answered still tells why;</li>
 * <li>one key per kind of the chain table ({@code fallback}: {@code true} or {@code false}; {@code retry},
 * {@code ratelimiter}, {@code circuitbreaker}, {@code timeout}, {@code bulkhead}: the instance name, or
 * {@code none});</li>
 * <li>{@code name}: the instance name when every policy of the chain uses the same one (the usual case), otherwise
 * the method, {@code SimpleClassName.methodName}.</li>
 * </ul>
 *
 * <p>When there is no {@link ObservationRegistry}, or it is a no-op one, the chain is returned unchanged: no cost per
 * call. Cancelling the future of an asynchronous call is passed on to the chain.
 */
public class ObservationChainDecorator implements ChainDecorator {

    /** The name of the observation. */
    public static final String OBSERVATION_NAME = "resilience.call";

    private static final String NAME = "name";
    private static final String OUTCOME = "outcome";
    private static final String CAUSE = "cause";
    private static final String NONE = "none";
    private static final KeyValue SUCCESS = KeyValue.of(OUTCOME, "success");
    private static final KeyValue ANSWERED_BY_FALLBACK = KeyValue.of(OUTCOME, "fallback");
    private static final KeyValue CANCELLED = KeyValue.of(OUTCOME, "cancelled");
    private static final KeyValue NO_CAUSE = KeyValue.of(CAUSE, NONE);
    /** Where the chain inside the fallback finds the observation of its call: an attribute of the invocation. */
    private static final String OBSERVATION_ATTRIBUTE = ObservationChainDecorator.class.getName() + ".observation";

    private final Supplier<? extends @Nullable ObservationRegistry> registry;

    /** @param registry supplies the registry when a chain is built; {@code null} means none */
    public ObservationChainDecorator(Supplier<? extends @Nullable ObservationRegistry> registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public Call<MethodInvocation> decorate(Call<MethodInvocation> chain, ProtectedMethod method) {
        ObservationRegistry observations = registry.get();
        if (observations == null || observations.isNoop()) {
            return chain;
        }
        KeyValues keyValues = keyValues(method);
        String contextualName = method.shortName();
        boolean hasFallback = method.hasFallback();
        return invocation -> {
            Observation observation = start(observations, contextualName, keyValues, invocation, hasFallback);
            try (Observation.Scope scope = observation.openScope()) {
                Object result = chain.invoke(invocation);
                succeeded(observation);
                return result;
            }
            catch (Throwable failure) {
                failed(observation, failure);
                throw failure;
            }
            finally {
                observation.stop();
            }
        };
    }

    @Override
    public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> chain, ProtectedMethod method) {
        ObservationRegistry observations = registry.get();
        if (observations == null || observations.isNoop()) {
            return chain;
        }
        KeyValues keyValues = keyValues(method);
        String contextualName = method.shortName();
        boolean hasFallback = method.hasFallback();
        return invocation -> {
            Observation observation = start(observations, contextualName, keyValues, invocation, hasFallback);
            CompletionStage<Object> stage;
            try (Observation.Scope scope = observation.openScope()) {
                stage = chain.invoke(invocation);
            }
            catch (RuntimeException | Error failure) {
                failed(observation, failure);
                observation.stop();
                throw failure;
            }
            RelayFuture result = new RelayFuture(stage);
            stage.whenComplete(new AsyncOutcome(observation, result));
            return result;
        };
    }

    /** Inside the fallback: a failure the fallback is about to see becomes the observation's {@code cause}. */
    @Override
    public Call<MethodInvocation> decorateInsideFallback(Call<MethodInvocation> chain, ProtectedMethod method) {
        ObservationRegistry observations = registry.get();
        if (observations == null || observations.isNoop()) {
            return chain;
        }
        return invocation -> {
            try {
                return chain.invoke(invocation);
            }
            catch (Throwable failure) {
                recordCause(invocation, failure);
                throw failure;
            }
        };
    }

    @Override
    public AsyncCall<MethodInvocation> decorateAsyncInsideFallback(AsyncCall<MethodInvocation> chain,
            ProtectedMethod method) {
        ObservationRegistry observations = registry.get();
        if (observations == null || observations.isNoop()) {
            return chain;
        }
        return invocation -> {
            CompletionStage<Object> stage = chain.invoke(invocation);
            RelayFuture result = new RelayFuture(stage);
            // the cause is recorded before the fallback hears of the failure, hence before the caller's outcome
            stage.whenComplete((value, failure) -> {
                if (failure != null) {
                    recordCause(invocation, Failures.unwrap(failure));
                }
                result.relay(value, failure);
            });
            return result;
        };
    }

    private static Observation start(ObservationRegistry observations, String contextualName, KeyValues keyValues,
            MethodInvocation invocation, boolean hasFallback) {
        Observation observation = Observation.createNotStarted(OBSERVATION_NAME, observations)
                .contextualName(contextualName).lowCardinalityKeyValues(keyValues).start();
        if (hasFallback && invocation instanceof ProxyMethodInvocation proxied) {
            proxied.setUserAttribute(OBSERVATION_ATTRIBUTE, observation);
        }
        return observation;
    }

    private static void recordCause(MethodInvocation invocation, Throwable failure) {
        if (invocation instanceof ProxyMethodInvocation proxied
                && proxied.getUserAttribute(OBSERVATION_ATTRIBUTE) instanceof Observation observation) {
            observation.lowCardinalityKeyValue(CAUSE, outcome(failure));
        }
    }

    private static void succeeded(Observation observation) {
        KeyValue cause = observation.getContext().getLowCardinalityKeyValue(CAUSE);
        boolean answeredByFallback = cause != null && !NONE.equals(cause.getValue());
        observation.lowCardinalityKeyValue(answeredByFallback ? ANSWERED_BY_FALLBACK : SUCCESS);
    }

    private static void failed(Observation observation, Throwable failure) {
        observation.lowCardinalityKeyValue(OUTCOME, outcome(failure));
        observation.error(failure);
    }

    private static String outcome(Throwable failure) {
        if (failure instanceof CircuitBreakerOpenException) {
            return "not_permitted";
        }
        if (failure instanceof TimeoutExceededException) {
            return "timeout";
        }
        if (failure instanceof BulkheadFullException || failure instanceof RateLimitExceededException) {
            return "rejected";
        }
        return "failure";
    }

    /** The same keys for every method: one per kind of the chain table, the name, and the cause so far. */
    private static KeyValues keyValues(ProtectedMethod method) {
        KeyValues keyValues = KeyValues.of(NO_CAUSE);
        for (PolicyKind<?> kind : PolicyKind.CHAIN) {
            String value = kind.isNamed() ? method.instances().getOrDefault(kind.key(), NONE)
                    : String.valueOf(method.hasFallback());
            keyValues = keyValues.and(kind.key(), value);
        }
        Set<String> names = new LinkedHashSet<>(method.instances().values());
        return keyValues.and(NAME, names.size() == 1 ? names.iterator().next() : method.shortName());
    }

    /** Stops the observation, then completes the caller's future exactly as the chain's stage completed. */
    private static final class AsyncOutcome implements BiConsumer<Object, Throwable> {

        private final Observation observation;
        private final RelayFuture result;

        AsyncOutcome(Observation observation, RelayFuture result) {
            this.observation = observation;
            this.result = result;
        }

        @Override
        public void accept(Object value, Throwable failure) {
            try {
                if (result.isCancelled()) {
                    observation.lowCardinalityKeyValue(CANCELLED);
                }
                else if (failure == null) {
                    succeeded(observation);
                }
                else {
                    failed(observation, Failures.unwrap(failure));
                }
                observation.stop();
            }
            finally {
                result.relay(value, failure);
            }
        }
    }
}
