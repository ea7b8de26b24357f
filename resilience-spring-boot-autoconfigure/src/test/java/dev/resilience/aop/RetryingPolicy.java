package dev.resilience.aop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Policy;

/** A fake retry: calls {@code next} until it succeeds, at most {@code attempts} times, logging each attempt. */
record RetryingPolicy(String name, int attempts, List<String> log) implements Policy {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return context -> {
            for (int attempt = 1;; attempt++) {
                log.add("retry:" + name + ">" + attempt);
                try {
                    return next.invoke(context);
                }
                catch (Exception ex) {
                    if (attempt == attempts) {
                        throw ex;
                    }
                }
            }
        };
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return context -> attempt(next, context, 1);
    }

    private <C> CompletionStage<Object> attempt(AsyncCall<C> next, C context, int attempt) {
        log.add("retry:" + name + ">" + attempt);
        return next.invoke(context)
                .handle((value, failure) -> (failure == null || attempt == attempts)
                        ? (failure == null ? CompletableFuture.completedFuture(value)
                                : CompletableFuture.<Object>failedFuture(failure))
                        : attempt(next, context, attempt + 1))
                .thenCompose(Function.identity());
    }
}
