package dev.resilience.actuate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

import dev.resilience.aop.ChainDecorator;
import dev.resilience.aop.ProtectedMethod;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.BulkheadFullException;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.Failures;
import dev.resilience.core.RelayFuture;
import dev.resilience.core.TimeoutExceededException;

/**
 * Wraps each protected call (the whole chain, fallback included) in a Micrometer {@link Observation} named
 * {@value #OBSERVATION_NAME}, so that a tracer sees it as a span and the observation handlers (for example Spring
 * Boot's timer handler) see it as a timed call. Low-cardinality key values: {@code kind} (the policies of the
 * chain, outermost first, comma-separated, e.g. {@code fallback,retry,circuitbreaker}), {@code name} (the instance
 * names, comma-separated when they differ) and {@code outcome} ({@code success}, {@code failure},
 * {@code not_permitted}, {@code timeout}, {@code rejected}, or {@code cancelled} when the caller cancelled an
 * asynchronous call, as the caller saw the call). Cancelling the returned future is passed on to the chain.
 *
 * <p>When there is no {@link ObservationRegistry}, or it is a no-op one, the chain is returned unchanged: no cost
 * per call.
 */
public class ObservationChainDecorator implements ChainDecorator {

    /** The name of the observation. */
    public static final String OBSERVATION_NAME = "resilience.call";

    private static final String KIND = "kind";
    private static final String NAME = "name";
    private static final String OUTCOME = "outcome";
    private static final KeyValue SUCCESS = KeyValue.of(OUTCOME, "success");
    private static final KeyValue CANCELLED = KeyValue.of(OUTCOME, "cancelled");

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
        return invocation -> {
            Observation observation = Observation.createNotStarted(OBSERVATION_NAME, observations)
                    .contextualName(contextualName).lowCardinalityKeyValues(keyValues).start();
            try (Observation.Scope scope = observation.openScope()) {
                Object result = chain.invoke(invocation);
                observation.lowCardinalityKeyValue(SUCCESS);
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
        return invocation -> {
            Observation observation = Observation.createNotStarted(OBSERVATION_NAME, observations)
                    .contextualName(contextualName).lowCardinalityKeyValues(keyValues).start();
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
        if (failure instanceof BulkheadFullException) {
            return "rejected";
        }
        return "failure";
    }

    private static KeyValues keyValues(ProtectedMethod method) {
        List<String> kinds = new ArrayList<>();
        if (method.hasFallback()) {
            kinds.add("fallback");
        }
        kinds.addAll(method.instances().keySet());
        Set<String> names = new LinkedHashSet<>(method.instances().values());
        String name = names.isEmpty() ? method.shortName() : String.join(",", names);
        return KeyValues.of(KeyValue.of(KIND, String.join(",", kinds)), KeyValue.of(NAME, name));
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
                    observation.lowCardinalityKeyValue(SUCCESS);
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
