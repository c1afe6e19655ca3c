package dev.localrag.core.ollama;

import dev.localrag.core.Checks;
import dev.localrag.core.OperationCancelledException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the requests in flight to one model server, so ingest and queries together cannot overload
 * it; interactive requests waiting go ahead of bulk ones.
 */
public final class RequestLimiter {

    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int inFlight;
    private int interactiveWaiting;
    private int peak;

    public RequestLimiter(int maxInFlight) {
        this.maxInFlight = Checks.between(maxInFlight, 1, 256, "maxInFlight");
    }

    /** A slot held while a request runs; close it to let the next one go. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits for a slot.
     *
     * @throws OperationCancelledException when the thread is interrupted while waiting
     */
    public Permit acquire(Priority priority) {
        lock.lock();
        try {
            boolean interactive = priority == Priority.INTERACTIVE;
            if (interactive) {
                interactiveWaiting++;
            }
            try {
                while (inFlight >= maxInFlight || (!interactive && interactiveWaiting > 0)) {
                    changed.await();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OperationCancelledException("cancelled while waiting for a free model-server slot");
            } finally {
                if (interactive) {
                    interactiveWaiting--;
                    changed.signalAll();
                }
            }
            inFlight++;
            peak = Math.max(peak, inFlight);
        } finally {
            lock.unlock();
        }
        boolean[] released = {false};
        return () -> {
            lock.lock();
            try {
                if (!released[0]) {
                    released[0] = true;
                    inFlight--;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        };
    }

    public int maxInFlight() {
        return maxInFlight;
    }

    /** Most requests that were ever in flight at once. */
    public int peakInFlight() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }
}
