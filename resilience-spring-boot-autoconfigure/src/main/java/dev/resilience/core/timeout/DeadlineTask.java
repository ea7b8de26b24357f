package dev.resilience.core.timeout;

import dev.resilience.core.Scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The deadline of one synchronous timed call that no {@link DeadlineWatchdog} watches (there is none, or the
 * call is nested in another timed call on the same thread): one task of its own on the {@link Scheduler},
 * which interrupts the caller at the deadline unless the call finished first.
 *
 * <h2>State and concurrency</h2>
 * The caller and the timer race once, by CAS, for the state: whoever moves it out of RUNNING decides the
 * outcome. RUNNING → DONE when the caller finishes first: the task is cancelled and, should it run all the
 * same, it never interrupts. RUNNING → INTERRUPTING → INTERRUPTED when the timer fires first: the caller, at
 * the end of its call, waits (a few instructions) for the interrupt to be delivered, so that it can clear the
 * flag knowing that no interrupt of this deadline can arrive later. The same protocol as the watchdog's slots,
 * with one allocation (this task and its scheduled handle) per call.
 */
final class DeadlineTask implements Runnable {

    private static final int RUNNING = 0;
    private static final int DONE = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(DeadlineTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread thread;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = RUNNING;
    /** Written and read by the caller only. */
    private Scheduler.Scheduled scheduled;

    private DeadlineTask(Thread thread) {
        this.thread = thread;
    }

    /**
     * The caller's side, before the call: plans the interrupt of the current thread in {@code timeoutNanos}.
     *
     * @throws RuntimeException if the scheduler rejects the task; nothing is planned then
     */
    static DeadlineTask start(Scheduler scheduler, long timeoutNanos) {
        DeadlineTask task = new DeadlineTask(Thread.currentThread());
        task.scheduled = scheduler.schedule(task, timeoutNanos);
        return task;
    }

    /** The timer's side: interrupts the caller only if it has not finished. */
    @Override
    public void run() {
        if (STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
            try {
                thread.interrupt();
            } finally {
                state = INTERRUPTED;
            }
        }
    }

    /**
     * The caller's side, at the end of the call: true if it ended before the deadline, and then the thread is
     * never interrupted for it. Otherwise the interrupt has been delivered when this returns false.
     */
    boolean exit() {
        if (STATE.compareAndSet(this, RUNNING, DONE)) {
            scheduled.cancel();
            return true;
        }
        // the timer won: the interrupt is delivered within a few instructions
        while (state != INTERRUPTED) {
            Thread.onSpinWait();
        }
        return false;
    }
}
