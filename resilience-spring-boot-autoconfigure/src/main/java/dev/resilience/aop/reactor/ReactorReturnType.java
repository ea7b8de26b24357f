package dev.resilience.aop.reactor;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.aopalliance.intercept.MethodInvocation;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import dev.resilience.aop.AsyncReturnType;
import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;

/**
 * Protects methods that return Reactor's {@link Mono} or {@link Flux} on the asynchronous path of the policies,
 * without blocking a thread: one adapter per type, {@link #mono()} and {@link #flux()}.
 *
 * <ul>
 * <li><b>Lazy.</b> Calling the method returns a publisher at once and runs nothing: no permit is taken, nothing is
 * counted, the method body itself does not run. Each subscription to that publisher is one protected call through the
 * whole chain, with an invocation of its own ({@link ReactorCall}).</li>
 * <li><b>One stage per attempt.</b> Every attempt calls the method again (so the advice inside ours runs again) and
 * subscribes to the publisher it returns; the policies see that attempt as one stage, completed by the terminal
 * signal (for a {@code Mono}, its value). A {@code Mono}'s value travels through the policies to the subscriber; a
 * {@code Flux}'s elements go straight to the subscriber as they come, with its demand, and only the terminal signal
 * goes through the policies.</li>
 * <li><b>Cancellation.</b> Cancelling the subscription cancels the chain's stage, which reaches the attempt that runs
 * and cancels its subscription to the method's publisher. A {@code Flux} whose subscriber cancels after it received
 * elements of the running attempt ends that attempt as a success instead (the partner delivered; the subscriber had
 * enough, as with {@code take(n)}).</li>
 * <li><b>Context.</b> The method's publisher sees the subscriber's Reactor {@code Context} on every attempt.</li>
 * </ul>
 */
public final class ReactorReturnType implements AsyncReturnType {

    private static final ReactorReturnType MONO = new ReactorReturnType(Mono.class);
    private static final ReactorReturnType FLUX = new ReactorReturnType(Flux.class);

    private final Class<?> type;

    private ReactorReturnType(Class<?> type) {
        this.type = type;
    }

    /** The adapter of methods that declare {@code Mono}. */
    public static AsyncReturnType mono() {
        return MONO;
    }

    /** The adapter of methods that declare {@code Flux}. */
    public static AsyncReturnType flux() {
        return FLUX;
    }

    @Override
    public boolean supports(Class<?> returnType) {
        return returnType == type;
    }

    @Override
    public Object toReturnValue(AsyncCall<MethodInvocation> chain, MethodInvocation invocation) {
        return (type == Mono.class) ? new ProtectedMono(chain, invocation) : new ProtectedFlux(chain, invocation);
    }

    @Override
    public CompletionStage<Object> attempt(MethodInvocation invocation, Call<MethodInvocation> method) {
        if (invocation instanceof ReactorCall call) {
            return call.attempt(method);
        }
        return notOurs(invocation);
    }

    @Override
    public CompletionStage<Object> toStage(Object returned, MethodInvocation invocation) {
        if (invocation instanceof ReactorCall call) {
            return call.subscribeSafely(returned);
        }
        return notOurs(invocation);
    }

    private static CompletionStage<Object> notOurs(MethodInvocation invocation) {
        return CompletableFuture.failedFuture(new IllegalStateException("The chain of " + invocation.getMethod()
                + " ran with an invocation that is not a subscription's: " + invocation));
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }
}
