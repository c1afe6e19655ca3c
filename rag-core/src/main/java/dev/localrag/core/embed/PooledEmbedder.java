package dev.localrag.core.embed;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import dev.localrag.core.Internal;
import dev.localrag.core.LocalRagException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One embedder over several model servers running the same model: each batch goes to the server
 * with the fewest requests outstanding, within each server's {@code maxInFlight} (a caller waits
 * when all are full). A server that fails a batch (unreachable, or an error after its own retries)
 * is set aside for {@link #COOL_OFF_MILLIS} and the batch is retried on the others; only when every
 * server has failed it is the batch an error. On first use every server is asked for its vector
 * dimension, and servers that disagree are a {@link ConfigurationException} naming them.
 */
@Internal
public final class PooledEmbedder implements Embedder {

    /** How long a server that failed is left out before it is tried again. */
    static final long COOL_OFF_MILLIS = 30_000;

    /**
     * One server.
     *
     * @param name for messages, e.g. its URL
     * @param embedder the server's embedder
     * @param maxInFlight requests at once to this server
     */
    public record Member(String name, Embedder embedder, int maxInFlight) {
        public Member {
            Checks.notBlank(name, "name");
            Checks.notNull(embedder, "embedder");
            Checks.positive(maxInFlight, "maxInFlight");
        }
    }

    private static final class Slot {
        final Member member;
        int outstanding;
        long downUntil;
        int batches;

        Slot(Member member) {
            this.member = member;
        }
    }

    private final EmbedderSpec spec;
    private final List<Slot> slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private volatile int dimension;

    public PooledEmbedder(List<Member> members) {
        Checks.notEmpty(members, "members");
        this.spec = members.getFirst().embedder().spec();
        for (Member m : members) {
            if (!m.embedder().spec().equals(spec)) {
                throw new ConfigurationException("Embedding servers must run the same model, but " + m.name() + " has "
                        + m.embedder().spec() + " and " + members.getFirst().name() + " has " + spec);
            }
        }
        this.slots = members.stream().map(Slot::new).toList();
    }

    @Override
    public EmbedderSpec spec() {
        return spec;
    }

    /** Every server's {@code maxInFlight}, summed: the batches the pool can run at once. */
    @Override
    public int concurrency() {
        return slots.stream().mapToInt(s -> s.member.maxInFlight()).sum();
    }

    /** The common dimension; asks every server once and checks they agree. */
    @Override
    public int dimension() {
        if (dimension == 0) {
            synchronized (this) {
                if (dimension == 0) {
                    int first = 0;
                    for (Slot s : slots) {
                        int d = s.member.embedder().dimension();
                        if (first == 0) {
                            first = d;
                        } else if (d != first) {
                            throw new ConfigurationException("Embedding servers disagree on " + spec + ": "
                                    + slots.getFirst().member.name() + " gives " + first + "-d vectors, "
                                    + s.member.name() + " gives " + d + "-d. Serve the same model everywhere.");
                        }
                    }
                    dimension = first;
                }
            }
        }
        return dimension;
    }

    @Override
    public List<float[]> embedDocuments(List<String> texts) {
        dimension();
        return run(e -> e.embedDocuments(texts));
    }

    @Override
    public float[] embedQuery(String query) {
        dimension();
        return run(e -> e.embedQuery(query));
    }

    @Override
    public int preferredBatchSize() {
        return slots.getFirst().member.embedder().preferredBatchSize();
    }

    /** Batches each server has answered, in member order. */
    public List<Integer> batchesPerServer() {
        lock.lock();
        try {
            return slots.stream().map(s -> s.batches).toList();
        } finally {
            lock.unlock();
        }
    }

    private <T> T run(java.util.function.Function<Embedder, T> call) {
        List<String> failures = new ArrayList<>();
        List<Slot> tried = new ArrayList<>();
        while (true) {
            Slot slot = acquire(tried);
            if (slot == null) {
                throw new LocalRagException("Every embedding server failed: " + String.join("; ", failures));
            }
            tried.add(slot);
            try {
                T result = call.apply(slot.member.embedder());
                release(slot, false);
                return result;
            } catch (ConfigurationException | IllegalArgumentException e) {
                release(slot, false);
                throw e; // the request itself is wrong: no other server answers it differently
            } catch (RuntimeException e) {
                release(slot, true);
                failures.add(slot.member.name() + ": " + e.getMessage());
            }
        }
    }

    /** The live server with the fewest outstanding requests and room for one more; null when none is left. */
    private Slot acquire(List<Slot> tried) {
        lock.lock();
        try {
            while (true) {
                long now = System.currentTimeMillis();
                Slot best = null;
                boolean anyCandidate = false;
                for (Slot s : slots) {
                    if (tried.contains(s) || s.downUntil > now) {
                        continue;
                    }
                    anyCandidate = true;
                    if (s.outstanding < s.member.maxInFlight() && (best == null || s.outstanding < best.outstanding)) {
                        best = s;
                    }
                }
                if (best != null) {
                    best.outstanding++;
                    return best;
                }
                if (!anyCandidate) {
                    return null;
                }
                freed.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalRagException("Interrupted while waiting for an embedding server", e);
        } finally {
            lock.unlock();
        }
    }

    private void release(Slot slot, boolean failed) {
        lock.lock();
        try {
            slot.outstanding--;
            if (failed) {
                slot.downUntil = System.currentTimeMillis() + COOL_OFF_MILLIS;
            } else {
                slot.batches++;
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Slot s : slots) {
            try {
                s.member.embedder().close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
