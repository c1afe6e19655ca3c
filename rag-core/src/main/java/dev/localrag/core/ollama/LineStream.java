package dev.localrag.core.ollama;

import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A streamed HTTP response read line by line with deadlines: the reading thread polls with a timeout
 * (first token, idle gap, whole request), and {@link #cancel()} cancels the body subscription, which
 * makes the JDK client close the connection to the server.
 */
final class LineStream implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<String> {

    /** What arrives: the status line, then lines, then the end or an error. */
    sealed interface Event {}

    record Status(int code) implements Event {}

    record Line(String text) implements Event {}

    record Failed(Throwable error) implements Event {}

    record End() implements Event {}

    record Timeout() implements Event {}

    /** No event within the deadline. */
    static final Event TIMEOUT = new Timeout();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private volatile boolean cancelled;

    @Override
    public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo info) {
        events.add(new Status(info.statusCode()));
        return HttpResponse.BodySubscribers.fromLineSubscriber(this);
    }

    /** Called when the request itself fails (e.g. connection refused). */
    void failed(Throwable error) {
        events.add(new Failed(error));
    }

    /**
     * The next event, or {@link #TIMEOUT} when none came within {@code nanos}.
     *
     * @throws InterruptedException when the caller is interrupted (cancelling)
     */
    Event next(long nanos) throws InterruptedException {
        Event e = events.poll(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        if (e == null) {
            return TIMEOUT;
        }
        if (e instanceof Line) {
            Flow.Subscription s = subscription.get();
            if (s != null) {
                s.request(1);
            }
        }
        return e;
    }

    /** Stops reading and closes the connection. Idempotent. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription.getAndSet(null);
        if (s != null) {
            s.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (cancelled) {
            s.cancel();
            return;
        }
        subscription.set(s);
        s.request(1);
    }

    @Override
    public void onNext(String item) {
        events.add(new Line(item));
    }

    @Override
    public void onError(Throwable throwable) {
        events.add(new Failed(throwable));
    }

    @Override
    public void onComplete() {
        events.add(new End());
    }
}
