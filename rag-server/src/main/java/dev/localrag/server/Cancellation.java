package dev.localrag.server;

import java.util.concurrent.atomic.AtomicReference;

/** Why a request's generation should stop; null while it should go on. */
final class Cancellation {

    /** Thrown into the generator's token callback to stop it. */
    static final class CancelledException extends RuntimeException {
        private final Reason reason;

        CancelledException(Reason reason) {
            super("generation cancelled: " + reason.description, null, false, false);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    enum Reason {
        CLIENT_GONE("the client disconnected"),
        SHUTDOWN("the server is shutting down");

        final String description;

        Reason(String description) {
            this.description = description;
        }
    }

    private final AtomicReference<Reason> reason = new AtomicReference<>();

    void cancel(Reason why) {
        reason.compareAndSet(null, why);
    }

    boolean cancelled() {
        return reason.get() != null;
    }

    Reason reason() {
        return reason.get();
    }

    /** Throws {@link CancelledException} when cancelled. */
    void check() {
        Reason r = reason.get();
        if (r != null) {
            throw new CancelledException(r);
        }
    }
}
