package dev.localrag.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue in front of the chat model: {@code concurrency} generations run, {@code queue}
 * more wait, and the rest are refused at once so clients can back off ({@code 429}).
 */
final class ChatGate {

    private final int concurrency;
    private final int queue;
    private final Semaphore admitted;
    private final Semaphore running;

    ChatGate(int concurrency, int queue) {
        this.concurrency = concurrency;
        this.queue = queue;
        this.admitted = new Semaphore(concurrency + queue);
        this.running = new Semaphore(concurrency, true);
    }

    /** A place in the gate; close it when the generation ends. */
    final class Ticket implements AutoCloseable {
        private boolean running;
        private boolean closed;

        /**
         * Waits for a running slot, giving up when {@code cancellation} fires; calls {@code
         * heartbeat} about once a second while waiting.
         */
        void awaitTurn(RequestCancellation cancellation, Runnable heartbeat) throws InterruptedException {
            int polls = 0;
            while (!ChatGate.this.running.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                cancellation.check();
                if (++polls % 20 == 0) {
                    heartbeat.run();
                }
            }
            running = true;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (running) {
                ChatGate.this.running.release();
            }
            admitted.release();
        }
    }

    /** A ticket, or null when the queue is full. */
    Ticket tryEnter() {
        return admitted.tryAcquire() ? new Ticket() : null;
    }

    int inFlight() {
        return concurrency + queue - admitted.availablePermits();
    }

    int capacity() {
        return concurrency + queue;
    }
}
