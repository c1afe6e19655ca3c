package dev.localrag.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The answers being made right now, so shutdown can cancel them and wait for them to end. */
final class ActiveRequests {

    private final Set<RequestCancellation> active = ConcurrentHashMap.newKeySet();

    /** Unregisters on close. */
    final class Registration implements AutoCloseable {
        private final RequestCancellation cancellation;

        private Registration(RequestCancellation cancellation) {
            this.cancellation = cancellation;
        }

        @Override
        public void close() {
            active.remove(cancellation);
        }
    }

    Registration register(RequestCancellation cancellation) {
        active.add(cancellation);
        return new Registration(cancellation);
    }

    void cancelAll(RequestCancellation.Reason reason) {
        active.forEach(c -> c.cancel(reason));
    }

    int size() {
        return active.size();
    }
}
