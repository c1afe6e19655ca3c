package dev.localrag.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The answers being made right now, so shutdown can cancel them and wait for them to end. */
final class ActiveRequests {

    private final Set<Cancellation> active = ConcurrentHashMap.newKeySet();

    /** Unregisters on close. */
    final class Registration implements AutoCloseable {
        private final Cancellation cancellation;

        private Registration(Cancellation cancellation) {
            this.cancellation = cancellation;
        }

        @Override
        public void close() {
            active.remove(cancellation);
        }
    }

    Registration register(Cancellation cancellation) {
        active.add(cancellation);
        return new Registration(cancellation);
    }

    void cancelAll(Cancellation.Reason reason) {
        active.forEach(c -> c.cancel(reason));
    }

    int size() {
        return active.size();
    }
}
