package dev.localrag.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.localrag.core.ConfigurationException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A lazy embedder loads once, on first use or in the background after startLoading(). */
class LazyEmbedderTest {

    private static final EmbedderSpec SPEC = new EmbedderSpec(EmbedderSpec.Provider.ONNX, "bge-small-en-v1.5");

    @Test
    void startLoadingMakesTheEmbedderOnAnotherThreadOnceAndTheFirstUseGetsIt() throws Exception {
        // given a factory that records its thread
        AtomicInteger made = new AtomicInteger();
        String[] thread = new String[1];
        LazyEmbedder lazy = new LazyEmbedder(SPEC, () -> {
            made.incrementAndGet();
            thread[0] = Thread.currentThread().getName();
            return new Fixed();
        });

        // when loading starts in the background, and then the embedder is used twice
        Embedders.startLoading(lazy);
        Embedders.startLoading(lazy); // a second start is nothing
        float[] vector = lazy.embedQuery("q");
        lazy.embedDocuments(List.of("d"));

        // then it was made once, on the loading thread, and used
        assertThat(vector).containsExactly(1f, 0f);
        assertThat(made).hasValue(1);
        assertThat(thread[0]).isEqualTo("embedder-load");
    }

    @Test
    void aFailedBackgroundLoadThrowsItsOwnExceptionOnUseAndTheNextUseTriesAgain() {
        // given a factory that fails once
        AtomicInteger calls = new AtomicInteger();
        ConfigurationException failure = new ConfigurationException("model missing");
        LazyEmbedder lazy = new LazyEmbedder(SPEC, () -> {
            if (calls.incrementAndGet() == 1) {
                throw failure;
            }
            return new Fixed();
        });

        // when the background load fails, then the first use throws that very exception
        lazy.startLoading();
        assertThatThrownBy(() -> lazy.embedQuery("q")).isSameAs(failure);

        // and the next use makes it again, as without a background load
        assertThat(lazy.embedQuery("q")).containsExactly(1f, 0f);
        assertThat(calls).hasValue(2);
    }

    @Test
    void closedBeforeUseItClosesTheEmbedderOnceTheLoadEnds() throws Exception {
        // given a load that waits for a signal
        CountDownLatch release = new CountDownLatch(1);
        Fixed embedder = new Fixed();
        LazyEmbedder lazy = new LazyEmbedder(SPEC, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return embedder;
        });
        lazy.startLoading();

        // when it is closed while loading, and the load then ends
        lazy.close();
        release.countDown();

        // then the loaded embedder is closed
        assertThat(embedder.closed.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static final class Fixed implements Embedder {
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public EmbedderSpec spec() {
            return SPEC;
        }

        @Override
        public int dimension() {
            return 2;
        }

        @Override
        public List<float[]> embedDocuments(List<String> texts) {
            return texts.stream().map(t -> new float[] {1f, 0f}).toList();
        }

        @Override
        public float[] embedQuery(String query) {
            return new float[] {1f, 0f};
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
