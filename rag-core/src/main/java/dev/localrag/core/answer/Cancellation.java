package dev.localrag.core.answer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets a caller stop an answer in progress (Ctrl-C, a disconnected client). Generators register
 * what closes their upstream stream; {@link #cancel()} runs it once.
 */
public final class Cancellation {

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<Runnable> actions = new CopyOnWriteArrayList<>();

    /** A token nobody cancels. */
    public static Cancellation none() {
        return new Cancellation();
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Cancels; the registered actions run once, on the calling thread. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            for (Runnable action : actions) {
                action.run();
            }
        }
    }

    /** Runs {@code action} on cancel, or at once when already cancelled. */
    public void onCancel(Runnable action) {
        actions.add(action);
        if (cancelled.get() && actions.remove(action)) {
            action.run();
        }
    }
}
