package dev.resilience.actuate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.aopalliance.intercept.MethodInvocation;
import org.junit.jupiter.api.Test;

import dev.resilience.aop.ProtectedMethod;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.CircuitBreakerOpenException;
import dev.resilience.core.RateLimitExceededException;
import dev.resilience.core.TimeoutExceededException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ObservationChainDecoratorTest {

    private final ObservationRegistry registry = ObservationRegistry.create();
    private final List<Observation.Context> stopped = new ArrayList<>();
    private final ProtectedMethod method = protectedMethod(true, Map.of("retry", "partner"),
            Map.of("circuitbreaker", "partner"));

    ObservationChainDecoratorTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }

            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }
        });
    }

    @Test
    void leavesTheChainAsItIsWithoutARegistryOrWithANoopOne() {
        Call<MethodInvocation> chain = invocation -> "value";
        AsyncCall<MethodInvocation> asyncChain = invocation -> CompletableFuture.completedFuture("value");

        assertThat(new ObservationChainDecorator(() -> null).decorate(chain, method)).isSameAs(chain);
        assertThat(new ObservationChainDecorator(() -> ObservationRegistry.NOOP).decorate(chain, method))
                .isSameAs(chain);
        assertThat(new ObservationChainDecorator(() -> ObservationRegistry.NOOP).decorateAsync(asyncChain, method))
                .isSameAs(asyncChain);
        // a registry without handlers is a no-op one too
        assertThat(new ObservationChainDecorator(ObservationRegistry::create).decorate(chain, method))
                .isSameAs(chain);
    }

    @Test
    void observesASuccessfulCallWithKindNameAndOutcome() throws Throwable {
        Observation[] current = new Observation[1];
        Call<MethodInvocation> chain = new ObservationChainDecorator(() -> registry).decorate(invocation -> {
            current[0] = registry.getCurrentObservation();
            return "value";
        }, method);

        assertThat(chain.invoke(null)).isEqualTo("value");

        assertThat(stopped).hasSize(1);
        Observation.Context context = stopped.get(0);
        assertThat(context.getName()).isEqualTo("resilience.call");
        assertThat(context.getContextualName()).isEqualTo("Remote.metered");
        assertThat(context.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(
                KeyValue.of("fallback", "true"), KeyValue.of("retry", "partner"), KeyValue.of("ratelimiter", "none"),
                KeyValue.of("circuitbreaker", "partner"), KeyValue.of("timeout", "none"),
                KeyValue.of("bulkhead", "none"), KeyValue.of("name", "partner"),
                KeyValue.of("outcome", "success"), KeyValue.of("cause", "none"));
        assertThat(context.getError()).isNull();
        // the call runs in the observation's scope, so a tracer's span is the parent of what the method does
        assertThat(current[0]).isNotNull();
        assertThat(current[0].getContext()).isSameAs(context);
    }

    @Test
    void observesAFailedCallAndRethrowsTheSameException() {
        CircuitBreakerOpenException refused = new CircuitBreakerOpenException("partner", "OPEN");
        Call<MethodInvocation> chain = new ObservationChainDecorator(() -> registry).decorate(invocation -> {
            throw refused;
        }, method);

        assertThatExceptionOfType(CircuitBreakerOpenException.class).isThrownBy(() -> chain.invoke(null))
                .isSameAs(refused);

        assertThat(stopped).singleElement().satisfies(context -> {
            assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("not_permitted");
            assertThat(context.getError()).isSameAs(refused);
        });
    }

    @Test
    void aRateLimitRefusalIsRejected() {
        RateLimitExceededException refused = new RateLimitExceededException("partner", java.time.Duration.ofSeconds(1));
        Call<MethodInvocation> chain = new ObservationChainDecorator(() -> registry).decorate(invocation -> {
            throw refused;
        }, protectedMethod(false, Map.of("ratelimiter", "partner")));

        assertThatExceptionOfType(RateLimitExceededException.class).isThrownBy(() -> chain.invoke(null));

        assertThat(stopped).singleElement().satisfies(context -> {
            assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("rejected");
            assertThat(context.getLowCardinalityKeyValue("ratelimiter").getValue()).isEqualTo("partner");
            assertThat(context.getLowCardinalityKeyValue("name").getValue()).isEqualTo("partner");
        });
    }

    @Test
    void namesEachInstanceByItsKindAndTheMethodWhenTheyDiffer() throws Throwable {
        ProtectedMethod mixed = protectedMethod(false, Map.of("retry", "a"), Map.of("timeout", "b"));
        new ObservationChainDecorator(() -> registry).decorate(invocation -> "value", mixed).invoke(null);

        Observation.Context context = stopped.get(0);
        assertThat(context.getLowCardinalityKeyValue("retry").getValue()).isEqualTo("a");
        assertThat(context.getLowCardinalityKeyValue("timeout").getValue()).isEqualTo("b");
        assertThat(context.getLowCardinalityKeyValue("circuitbreaker").getValue()).isEqualTo("none");
        assertThat(context.getLowCardinalityKeyValue("fallback").getValue()).isEqualTo("false");
        assertThat(context.getLowCardinalityKeyValue("name").getValue()).isEqualTo("Remote.metered");
        assertThat(context.getLowCardinalityKeyValues()).extracting(KeyValue::getKey).doesNotContain("kind");
    }

    @Test
    void observesAnAsyncCallUntilItsStageCompletes() {
        CompletableFuture<Object> inner = new CompletableFuture<>();
        AsyncCall<MethodInvocation> chain = new ObservationChainDecorator(() -> registry)
                .decorateAsync(invocation -> inner, method);

        CompletionStage<Object> result = chain.invoke(null);
        assertThat(stopped).isEmpty();

        inner.complete("value");
        assertThat(result.toCompletableFuture().join()).isEqualTo("value");
        assertThat(stopped).singleElement().satisfies(context ->
                assertThat(context.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("success"));
    }

    @Test
    void anAsyncFailureKeepsItsExceptionAndNamesTheOutcome() {
        TimeoutExceededException late = new TimeoutExceededException("partner", java.time.Duration.ofSeconds(1));
        IOException broken = new IOException("broken");
        ObservationChainDecorator decorator = new ObservationChainDecorator(() -> registry);

        CompletableFuture<Object> timedOut = decorator.decorateAsync(
                invocation -> CompletableFuture.failedFuture(late), method).invoke(null).toCompletableFuture();
        CompletableFuture<Object> failed = decorator.decorateAsync(
                invocation -> CompletableFuture.failedFuture(broken), method).invoke(null).toCompletableFuture();

        assertThat(timedOut.handle((value, error) -> error).join()).isSameAs(late);
        assertThat(failed.handle((value, error) -> error).join()).isSameAs(broken);
        assertThat(stopped).extracting(context -> context.getLowCardinalityKeyValue("outcome").getValue())
                .containsExactly("timeout", "failure");
        assertThat(stopped.get(1).getError()).isSameAs(broken);
    }

    @SafeVarargs
    private static ProtectedMethod protectedMethod(boolean fallback, Map<String, String>... instances) {
        Map<String, String> all = new LinkedHashMap<>();
        for (Map<String, String> each : instances) {
            all.putAll(each);
        }
        try {
            return new ProtectedMethod(ActuateTestApplication.Remote.class,
                    ActuateTestApplication.Remote.class.getMethod("metered", java.time.Duration.class,
                            RuntimeException.class), all, fallback);
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
