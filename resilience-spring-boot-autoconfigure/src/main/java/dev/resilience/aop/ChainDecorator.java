package dev.resilience.aop;

import java.util.List;
import java.util.function.BiFunction;

import org.aopalliance.intercept.MethodInvocation;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;

/**
 * Wraps the whole chain of an annotated method, outside the fallback: the place for cross-cutting observation
 * (tracing, timing) that must see every protected call exactly as its caller does. Called once per annotated
 * method when its chain is built, never per call; returning the chain unchanged costs nothing at call time.
 *
 * <p>A method with a fallback also has its chain inside the fallback offered to {@link #decorateInsideFallback},
 * so that a decorator can tell why the fallback answered (the two wrappers of one call share its
 * {@link MethodInvocation}).
 */
public interface ChainDecorator {

    /** Leaves every chain as it is. */
    ChainDecorator NONE = new ChainDecorator() {
        @Override
        public Call<MethodInvocation> decorate(Call<MethodInvocation> chain, ProtectedMethod method) {
            return chain;
        }

        @Override
        public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> chain, ProtectedMethod method) {
            return chain;
        }
    };

    /** Wraps the synchronous chain of {@code method}; may return {@code chain} itself. */
    Call<MethodInvocation> decorate(Call<MethodInvocation> chain, ProtectedMethod method);

    /** Wraps the asynchronous chain of {@code method}; may return {@code chain} itself. */
    AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> chain, ProtectedMethod method);

    /** Wraps the synchronous chain inside the fallback of {@code method}; by default leaves it as it is. */
    default Call<MethodInvocation> decorateInsideFallback(Call<MethodInvocation> chain, ProtectedMethod method) {
        return chain;
    }

    /** Wraps the asynchronous chain inside the fallback of {@code method}; by default leaves it as it is. */
    default AsyncCall<MethodInvocation> decorateAsyncInsideFallback(AsyncCall<MethodInvocation> chain,
            ProtectedMethod method) {
        return chain;
    }

    /** Applies {@code decorators} in order, the first one innermost. */
    static ChainDecorator of(List<? extends ChainDecorator> decorators) {
        List<ChainDecorator> all = List.copyOf(decorators);
        if (all.isEmpty()) {
            return NONE;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return new ChainDecorator() {
            @Override
            public Call<MethodInvocation> decorate(Call<MethodInvocation> chain, ProtectedMethod method) {
                return applyInOrder(all, chain, (decorator, inner) -> decorator.decorate(inner, method));
            }

            @Override
            public AsyncCall<MethodInvocation> decorateAsync(AsyncCall<MethodInvocation> chain,
                    ProtectedMethod method) {
                return applyInOrder(all, chain, (decorator, inner) -> decorator.decorateAsync(inner, method));
            }

            @Override
            public Call<MethodInvocation> decorateInsideFallback(Call<MethodInvocation> chain, ProtectedMethod method) {
                return applyInOrder(all, chain, (decorator, inner) -> decorator.decorateInsideFallback(inner, method));
            }

            @Override
            public AsyncCall<MethodInvocation> decorateAsyncInsideFallback(AsyncCall<MethodInvocation> chain,
                    ProtectedMethod method) {
                return applyInOrder(all, chain,
                        (decorator, inner) -> decorator.decorateAsyncInsideFallback(inner, method));
            }
        };
    }

    private static <T> T applyInOrder(List<ChainDecorator> decorators, T chain,
            BiFunction<ChainDecorator, T, T> wrap) {
        T result = chain;
        for (ChainDecorator decorator : decorators) {
            result = wrap.apply(decorator, result);
        }
        return result;
    }
}
