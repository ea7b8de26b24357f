package dev.resilience.aop;

import java.util.List;

import dev.resilience.core.AsyncCall;
import dev.resilience.core.Call;
import dev.resilience.core.Policy;

/** A fake policy that appends {@code kind:name>} on entry and {@code <kind:name} on exit to a shared log. */
record RecordingPolicy(String kind, String name, List<String> log) implements Policy {

    @Override
    public String getName() {
        return name;
    }

    @Override
    public <C> Call<C> decorate(Call<C> next) {
        return context -> {
            log.add(kind + ":" + name + ">");
            try {
                return next.invoke(context);
            }
            finally {
                log.add("<" + kind + ":" + name);
            }
        };
    }

    @Override
    public <C> AsyncCall<C> decorateAsync(AsyncCall<C> next) {
        return context -> {
            log.add(kind + ":" + name + ">");
            return next.invoke(context).whenComplete((value, failure) -> log.add("<" + kind + ":" + name));
        };
    }
}
