package dev.resilience.core.ratelimiter;

import dev.resilience.core.Ticker;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The counters of the keys of one limiter, at most {@code maxKeys} of them, the least recently used let go first.
 *
 * <p>Why least recently used, and why not a frequency-based cache: a key left alone for a whole period has all its
 * permits again, exactly as a new counter would, so letting it go loses nothing; the key used longest ago is the one
 * most likely to be in that state. A cache that admits by frequency (Caffeine's W-TinyLFU) may instead drop the key
 * that just arrived, in the middle of its period, and so hand that key a fresh set of permits at its next call.
 *
 * <h2>State and concurrency</h2>
 * The counters are found in a {@link ConcurrentHashMap} without a lock. Their order of use is a doubly linked list
 * through the counters themselves, guarded by one lock: adding a key (and letting the eldest go) takes the lock and
 * waits for it; moving a key that was found to the most recent end only tries it ({@link ReentrantLock#tryLock}) and
 * skips the move when another thread holds it. So a call never blocks on a key it already has, allocates nothing for
 * it, and the order is exact whenever calls do not overlap (under contention, a key called often is moved by one of
 * its many calls). The number of keys held never exceeds {@code maxKeys}.
 *
 * <p>A call that found a key before it was let go finishes with that counter; the next call of the key starts a new
 * one, with every permit of its first period.
 */
final class KeyedPermits {

    private final int maxKeys;
    private final ConcurrentHashMap<Object, Node> nodes = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    /** The sentinel of the list: {@code head.after} is the least recently used key, {@code head.before} the most. */
    private final Node head = new Node(null, 0);
    private int size;

    KeyedPermits(int maxKeys) {
        this.maxKeys = maxKeys;
        head.before = head;
        head.after = head;
    }

    /** The counter of {@code key}, created (with its periods starting now) when the key is not held. */
    PermitCounter counter(Object key, Ticker ticker) {
        Node node = nodes.get(key);
        if (node == null) {
            return add(key, ticker);
        }
        if (head.before != node && lock.tryLock()) {
            try {
                if (node.held) {
                    moveToEnd(node);
                }
            } finally {
                lock.unlock();
            }
        }
        return node;
    }

    /** The number of keys held now. */
    int size() {
        return nodes.size();
    }

    private PermitCounter add(Object key, Ticker ticker) {
        lock.lock();
        try {
            Node node = nodes.get(key);
            if (node != null) {
                moveToEnd(node);
                return node;
            }
            node = new Node(key, ticker.nanoTime());
            nodes.put(key, node);
            linkAtEnd(node);
            if (++size > maxKeys) {
                Node eldest = head.after;
                unlink(eldest);
                nodes.remove(eldest.key, eldest);
                size--;
            }
            return node;
        } finally {
            lock.unlock();
        }
    }

    private void moveToEnd(Node node) {
        if (head.before != node) {
            unlink(node);
            linkAtEnd(node);
        }
    }

    private void linkAtEnd(Node node) {
        Node last = head.before;
        node.before = last;
        node.after = head;
        last.after = node;
        head.before = node;
        node.held = true;
    }

    private void unlink(Node node) {
        node.before.after = node.after;
        node.after.before = node.before;
        node.before = null;
        node.after = null;
        node.held = false;
    }

    /** One key's counter and its place in the order of use; the links are read and written under the lock only. */
    private static final class Node extends PermitCounter {

        private static final long serialVersionUID = 1L;

        private final transient Object key;
        private transient Node before;
        private transient Node after;
        private transient boolean held;

        Node(Object key, long origin) {
            super(origin);
            this.key = key;
        }
    }
}
