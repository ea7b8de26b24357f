package dev.resilience.core;

/** Schedulers for tests that shape, or ignore, what the timer does and hand no work on. */
public final class TestSchedulers {

    private TestSchedulers() {
    }

    /** What {@link Scheduler#schedule} does, as a lambda. */
    @FunctionalInterface
    public interface Timer {

        Scheduler.Scheduled schedule(Runnable task, long delayNanos);
    }

    /** A scheduler whose tasks never run. */
    public static Scheduler never() {
        return timer((task, delayNanos) -> () -> {
        });
    }

    /** A scheduler that schedules with {@code timer}; handing it work fails the test, as none is expected. */
    public static Scheduler timer(Timer timer) {
        return new Scheduler() {
            @Override
            public Scheduled schedule(Runnable task, long delayNanos) {
                return timer.schedule(task, delayNanos);
            }

            @Override
            public void execute(Runnable task) {
                throw new UnsupportedOperationException("this test's scheduler takes no work");
            }
        };
    }
}
