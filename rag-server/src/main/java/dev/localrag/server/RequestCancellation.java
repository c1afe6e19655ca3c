package dev.localrag.server;

import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.answer.Cancellation;

/**
 * Why a request's answer should stop (the client left, the server stops), on top of rag-core's
 * {@link Cancellation}, which the answer pipeline watches: cancelling fires it, so the generator
 * closes its stream to the chat model. Once the answer is made ({@link #answered()}) a cancel only
 * records its reason, so a late shutdown cannot interrupt the thread while it writes the response.
 */
final class RequestCancellation {

    /** The request was cancelled; {@link #reason()} says why (for the status and error code). */
    static final class CancelledException extends OperationCancelledException {
        private final Reason reason;

        CancelledException(Reason reason) {
            super("generation cancelled: " + reason.description);
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

    private final Cancellation token = new Cancellation();
    private Reason reason;
    private boolean answered;

    /** What the answer pipeline watches. */
    Cancellation token() {
        return token;
    }

    void cancel(Reason why) {
        boolean fire;
        synchronized (this) {
            if (reason == null) {
                reason = why;
            }
            fire = !answered;
        }
        if (fire) {
            token.cancel();
        }
    }

    synchronized boolean cancelled() {
        return reason != null;
    }

    synchronized Reason reason() {
        return reason;
    }

    /**
     * The answer is made (or failed): later cancels no longer fire the token. Clears an interrupt
     * the token left on the calling thread, which must be the one that made the answer.
     */
    void answered() {
        synchronized (this) {
            answered = true;
        }
        if (token.isCancelled()) {
            Thread.interrupted(); // a generator's stream interrupts the answering thread on cancel
        }
    }

    /** Throws {@link CancelledException} when cancelled. */
    void check() {
        Reason r = reason();
        if (r != null) {
            throw new CancelledException(r);
        }
    }
}
