package dev.resilience.core;

import java.util.List;

/**
 * Decides whether a throwable counts (as a failure for a breaker, as retryable for a retry): it does
 * unless it is an instance of an ignored class, or an include list is given and it is an instance of
 * none of it. The decision is cached per exception class, so the hot path does no type walking.
 */
public final class ExceptionClassifier {

    private final List<Class<? extends Throwable>> included;
    private final List<Class<? extends Throwable>> ignored;
    private final ClassValue<Boolean> decisions = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return decide(type);
        }
    };

    /**
     * @param included the classes that count; empty means every throwable counts
     * @param ignored  the classes that never count; they win over {@code included}
     */
    public ExceptionClassifier(List<Class<? extends Throwable>> included, List<Class<? extends Throwable>> ignored) {
        this.included = List.copyOf(included);
        this.ignored = List.copyOf(ignored);
    }

    public boolean counts(Throwable throwable) {
        return decisions.get(throwable.getClass());
    }

    public List<Class<? extends Throwable>> included() {
        return included;
    }

    public List<Class<? extends Throwable>> ignored() {
        return ignored;
    }

    private boolean decide(Class<?> type) {
        for (Class<? extends Throwable> ignoredType : ignored) {
            if (ignoredType.isAssignableFrom(type)) {
                return false;
            }
        }
        if (included.isEmpty()) {
            return true;
        }
        for (Class<? extends Throwable> includedType : included) {
            if (includedType.isAssignableFrom(type)) {
                return true;
            }
        }
        return false;
    }
}
