package dev.resilience.core.timeout;

import dev.resilience.core.Scheduler;
import dev.resilience.core.Ticker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Watches the deadlines of synchronous timed calls without scheduling a task per call.
 * <p>
 * Each thread gets one reusable slot, holding the deadline of the call it is running and a stamp
 * (generation and state: IDLE, RUNNING, INTERRUPTING, INTERRUPTED). Starting and ending a call only
 * writes the slot and compares the deadline with the next planned check, so a steady flow of calls with
 * the same timeout neither allocates, locks nor wakes the timer thread. A check, one task on the shared
 * {@link Scheduler}, runs at the earliest known deadline: it interrupts every thread whose deadline has
 * passed and plans the next check at the earliest remaining deadline. A call whose deadline is earlier
 * than the planned check plans an earlier one itself.
 * <p>
 * Caller and check race once per call, by CAS on the stamp, exactly like a call's own
 * {@link DeadlineTask}: whoever moves it out of RUNNING decides the outcome, so a finished call is never
 * interrupted. The generation in the stamp keeps a check that read a previous call of the same thread from
 * interrupting the next one.
 * <p>
 * Time must run at the scheduler's pace: with a real scheduler, the ticker is {@link Ticker#system()}.
 */
public final class DeadlineWatchdog {

    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int INTERRUPTING = 2;
    static final int INTERRUPTED = 3;
    private static final int STATE_MASK = 3;

    /** Longer timeouts are watched as this one (about 146 years), so that deadlines never overflow. */
    private static final long MAX_TIMEOUT_NANOS = 1L << 62;
    /** The planned check when none is planned. */
    private static final long NONE = Long.MAX_VALUE;

    private static final VarHandle PLANNED_CHECK;

    static {
        try {
            PLANNED_CHECK = MethodHandles.lookup().findVarHandle(DeadlineWatchdog.class, "plannedCheck", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Scheduler scheduler;
    private final Ticker ticker;
    private final long origin;
    private final ThreadLocal<Slot> slotOfThread = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Slot> slots = new ConcurrentLinkedQueue<>();
    private final Runnable check = this::check;

    /**
     * When the next check is due (nanos since {@link #origin}), or {@link #NONE}. Whenever it holds a
     * deadline, a check has been (or is about to be) scheduled for that time and has not yet started.
     */
    @SuppressWarnings("unused") // also accessed through PLANNED_CHECK
    private volatile long plannedCheck = NONE;

    /** Watches with the system ticker, as a real scheduler's delays are measured with it. */
    public DeadlineWatchdog(Scheduler scheduler) {
        this(scheduler, Ticker.system());
    }

    /** @param ticker the time in which {@code scheduler} measures delays */
    public DeadlineWatchdog(Scheduler scheduler, Ticker ticker) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.origin = ticker.nanoTime();
    }

    private long now() {
        return ticker.nanoTime() - origin;
    }

    /**
     * The caller's side: starts watching the current thread until {@code timeoutNanos} from now. Returns
     * {@code null} when the thread's slot is already in use (a timed call nested in another one), in which
     * case the caller must watch the call some other way.
     *
     * @param interruptedOnEntry whether the thread's interrupt flag was set before the call: it is left set
     * @throws RuntimeException if the scheduler rejects the check the call needs; nothing is watched then
     */
    Slot enter(long timeoutNanos, boolean interruptedOnEntry) {
        Slot slot = slotOfThread.get();
        if (slot == null) {
            slot = new Slot(Thread.currentThread());
            slotOfThread.set(slot);
            slots.add(slot);
        }
        long stamp = slot.stamp;
        if ((stamp & STATE_MASK) != IDLE) {
            return null;
        }
        long deadline = now() + Math.min(timeoutNanos, MAX_TIMEOUT_NANOS);
        long running = ((stamp & ~STATE_MASK) + (STATE_MASK + 1)) | RUNNING;
        slot.deadline = deadline;
        // the deadline is written before the stamp that publishes it; reading the planned check after
        // publishing pairs with a check that announces itself (NONE) before it scans: one of the two sees the other
        slot.stamp = running;
        if (deadline < plannedCheck) {
            try {
                planCheck(deadline);
            } catch (RuntimeException rejected) {
                // an earlier check may have caught this call already (a deadline due at once)
                if (!exit(slot) && !interruptedOnEntry) {
                    Thread.interrupted();
                }
                throw rejected;
            }
        }
        return slot;
    }

    /**
     * The caller's side, at the end of the call: true if it ended before its deadline was acted on, and
     * then the thread is never interrupted for it. Otherwise the interrupt has been delivered when this
     * returns false.
     */
    boolean exit(Slot slot) {
        long running = slot.stamp;
        long idle = running & ~STATE_MASK;
        if ((running & STATE_MASK) == RUNNING && Slot.STAMP.compareAndSet(slot, running, idle)) {
            return true;
        }
        // the check won: the interrupt is delivered within a few instructions
        while ((slot.stamp & STATE_MASK) != INTERRUPTED) {
            Thread.onSpinWait();
        }
        slot.stamp = idle;
        return false;
    }

    /** Makes sure a check runs no later than {@code deadline}. */
    private void planCheck(long deadline) {
        while (true) {
            long planned = plannedCheck;
            if (planned <= deadline) {
                return;
            }
            if (PLANNED_CHECK.compareAndSet(this, planned, deadline)) {
                try {
                    scheduler.schedule(check, Math.max(0, deadline - now()));
                } catch (RuntimeException rejected) {
                    PLANNED_CHECK.compareAndSet(this, deadline, NONE);
                    throw rejected;
                }
                return;
            }
        }
    }

    /** The scheduled check: interrupts the threads whose deadline has passed and plans the next check. */
    private void check() {
        plannedCheck = NONE;
        long now = now();
        long earliest = NONE;
        for (Iterator<Slot> it = slots.iterator(); it.hasNext(); ) {
            Slot slot = it.next();
            long stamp = slot.stamp;
            if ((stamp & STATE_MASK) == RUNNING) {
                long deadline = slot.deadline;
                if (slot.stamp != stamp) {
                    // the call ended meanwhile; a next one planned its own check if it needed an earlier one
                    continue;
                }
                if (deadline <= now) {
                    slot.interrupt(stamp);
                } else if (deadline < earliest) {
                    earliest = deadline;
                }
            } else if (!slot.thread.isAlive()) {
                it.remove();
            }
        }
        if (earliest != NONE) {
            planCheck(earliest);
        }
    }

    /** The number of threads that have a slot, for tests. */
    int slotCount() {
        return slots.size();
    }

    /** One thread's reusable watch: its current deadline and the stamp the caller and the checks race on. */
    static final class Slot {

        static final VarHandle STAMP;

        static {
            try {
                STAMP = MethodHandles.lookup().findVarHandle(Slot.class, "stamp", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        /** Nanos since the watchdog's origin; written by the owner before the stamp that publishes it. */
        volatile long deadline;
        /** (generation << 2) | state; only the owner leaves IDLE, only a check leaves INTERRUPTING. */
        volatile long stamp = IDLE;

        Slot(Thread thread) {
            this.thread = thread;
        }

        /** The check's side: interrupts the owner only if it is still in the call read as {@code running}. */
        void interrupt(long running) {
            long generation = running & ~STATE_MASK;
            if (STAMP.compareAndSet(this, running, generation | INTERRUPTING)) {
                try {
                    thread.interrupt();
                } finally {
                    stamp = generation | INTERRUPTED;
                }
            }
        }
    }
}
