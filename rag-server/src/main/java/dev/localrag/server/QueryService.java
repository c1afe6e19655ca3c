package dev.localrag.server;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

import dev.langchain4j.store.embedding.filter.Filter;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerRequest;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Citation;
import dev.localrag.core.answer.PartialAnswerException;
import dev.localrag.core.answer.Source;
import dev.localrag.core.answer.Turn;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.StartsWith;
import dev.localrag.core.rerank.Reranker;
import dev.localrag.core.retrieval.Retrieval;
import dev.localrag.core.retrieval.Retriever;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Retrieval and answers for the HTTP routes, on rag-core's answer pipeline: filters hits, admits
 * generations through the {@link ChatGate}, times each step and records metrics.
 */
final class QueryService {

    /** Restricts hits to some documents. */
    record PathFilter(Set<String> paths, String pathPrefix) {
        static final PathFilter NONE = new PathFilter(Set.of(), null);

        boolean isEmpty() {
            return paths.isEmpty() && pathPrefix == null;
        }

        /** The index filter, evaluated inside the searches (so a selective filter still fills k); null if none. */
        Filter toIndexFilter() {
            Filter byPath =
                    paths.isEmpty() ? null : metadataKey(SourceDocument.PATH).isIn(paths);
            Filter byPrefix = pathPrefix == null ? null : new StartsWith(SourceDocument.PATH, pathPrefix);
            if (byPath == null) {
                return byPrefix;
            }
            return byPrefix == null ? byPath : byPath.and(byPrefix);
        }
    }

    /**
     * @param candidates HNSW candidates of the vector search (0 = the index default)
     * @param rerank whether the server's reranker reorders the retrieved passages
     */
    record Query(
            ServedCollection collection,
            String question,
            int k,
            SearchMode mode,
            PathFilter filter,
            List<Turn> history,
            int candidates,
            boolean rerank) {
        Query(
                ServedCollection collection,
                String question,
                int k,
                SearchMode mode,
                PathFilter filter,
                List<Turn> history) {
            this(collection, question, k, mode, filter, history, 0, false);
        }
    }

    /** Hears the answer as it is made. */
    interface Listener {
        /** Called once the generation is admitted, before any source or token is sent. */
        default void onAdmitted() {}

        /** Called about once a second while the answer waits for the chat model. */
        default void onWaiting() {}

        default void onSources(List<Source> sources) {}

        default void onToken(String token) {}
    }

    record Timings(
            double retrievalMs,
            Double firstTokenMs,
            double generationMs,
            double totalMs,
            int tokens,
            Double tokensPerSecond) {}

    record Result(Answer answer, Timings timings, String collection) {}

    private final Reranker reranker;
    private final ChatGate gate;
    private final ServerMetrics metrics;
    private final ActiveRequests active;

    QueryService(ChatGate gate, ServerMetrics metrics, ActiveRequests active, Reranker reranker) {
        this.reranker = reranker;
        this.gate = gate;
        this.metrics = metrics;
        this.active = active;
    }

    /** Retrieval only ({@code POST /v1/search}): the hits for the question, filtered inside the search. */
    List<SearchHit> retrieve(Query q) {
        return retrieve(q, q.question()).hits();
    }

    /** The request's retrieval as the answer pipeline makes it: mode, k, filter, candidates. */
    private static AnswerRequest request(Query q, RequestCancellation cancellation) {
        AnswerRequest request = AnswerRequest.of(q.question())
                .withHistory(q.history())
                .withMode(q.mode())
                .withK(q.k())
                .withFilter(q.filter().toIndexFilter())
                .withCandidates(q.candidates());
        return cancellation == null ? request : request.withCancellation(cancellation.token());
    }

    /** Retrieves for {@code query} (the question, or a follow-up made standalone) as answers do. */
    private Retrieval retrieve(Query q, String query) {
        long start = System.nanoTime();
        Retrieval retrieval;
        try {
            Retriever retriever = q.collection().runtime().retriever();
            if (q.rerank()) {
                if (reranker == null) {
                    throw new ApiException(
                            400,
                            "no_reranker",
                            "\"rerank\": true needs a reranker, and this server has none: start it with"
                                    + " rag serve --rerank MODEL@URL (a /v1/rerank server).");
                }
                retriever = retriever.reranking(reranker, Retriever.DEFAULT_RERANK_CANDIDATES);
            }
            retrieval = retriever.retrieveScored(query, request(q, null).search());
        } catch (ModelUnavailableException e) {
            metrics.upstreamError("embedder");
            throw e;
        }
        metrics.retrieval(q.collection().name(), q.mode().toString(), System.nanoTime() - start);
        return retrieval;
    }

    /**
     * Answers {@code q} through rag-core's {@link AnswerService}: a follow-up is condensed with its
     * history into a standalone question before retrieval. Throws {@link ApiException} 429 before
     * any callback when the chat queue is full, and {@link RequestCancellation.CancelledException}
     * when {@code cancellation} fires before the answer is complete.
     */
    Result answer(Query q, Listener listener, RequestCancellation cancellation) {
        long start = System.nanoTime();
        AnswerService service = q.collection().runtime().answers(q.collection().chatStatus(false));
        AnswerRequest request = request(q, cancellation);
        boolean generate = service.generates();
        // admission first: a request that may need the chat model takes its place in the queue before
        // any work, so a refusal costs no search; one that turns out to need no model (nothing relevant
        // was found) gives its place back at once
        ChatGate.Ticket ticket = null;
        if (generate) {
            ticket = gate.tryEnter();
            if (ticket == null) {
                metrics.rejected();
                throw new ApiException(
                        429,
                        "overloaded",
                        "The chat model is busy: " + gate.capacity()
                                + " answers are running or queued. Retry after the time in Retry-After.");
            }
        }
        // condensing a follow-up needs the chat model, so it waits its turn first; else retrieve first
        boolean condense = generate && !q.history().isEmpty();
        try (ChatGate.Ticket held = ticket;
                ActiveRequests.Registration registration = active.register(cancellation)) {
            Retrieval retrieval = condense ? null : retrieve(q, q.question());
            boolean needsModel = held != null && (condense || service.relevant(retrieval));
            if (held != null && !needsModel) {
                held.close(); // a not-found answer: no model needed
            }
            listener.onAdmitted();
            if (needsModel) {
                held.awaitTurn(cancellation, listener::onWaiting);
            }
            String query = q.question();
            if (retrieval == null) {
                query = service.standaloneQuery(request);
                retrieval = retrieve(q, query);
            }
            long retrieved = System.nanoTime();
            TokenCounter counter = new TokenCounter(listener::onToken);
            Answer answer = service.answer(request, query, retrieval, new AnswerHandler() {
                @Override
                public void onRetrieved(List<Source> sources) {
                    listener.onSources(sources);
                }

                @Override
                public void onToken(String token) {
                    counter.accept(token);
                }
            });
            if (!answer.complete() && cancellation.cancelled()) {
                throw new RequestCancellation.CancelledException(cancellation.reason());
            }
            long end = System.nanoTime();
            if (answer.kind() == Answer.Kind.GENERATED) {
                metrics.generationEnded("completed");
                if (counter.firstAt != 0) {
                    metrics.timeToFirstToken(answer.model(), counter.firstAt - start);
                }
            } else {
                metrics.generationEnded("extractive");
                if (generate && answer.kind() == Answer.Kind.EXTRACTIVE) {
                    metrics.upstreamError("chat"); // the model failed before its first token
                }
            }
            Double rate = null;
            if (counter.tokens > 1 && counter.lastAt > counter.firstAt) {
                rate = (counter.tokens - 1) / ((counter.lastAt - counter.firstAt) / 1e9);
                metrics.tokensPerSecond(answer.model(), rate);
            }
            metrics.citationsRemoved(answer.removedMarkers());
            Timings timings = new Timings(
                    ms(retrieved - start),
                    counter.firstAt == 0 ? null : ms(counter.firstAt - start),
                    ms(end - retrieved),
                    ms(end - start),
                    counter.tokens,
                    rate == null ? null : Math.round(rate * 10) / 10.0);
            return new Result(answer, timings, q.collection().name());
        } catch (OperationCancelledException e) {
            metrics.generationEnded("cancelled");
            throw e instanceof RequestCancellation.CancelledException || !cancellation.cancelled()
                    ? e
                    : new RequestCancellation.CancelledException(cancellation.reason());
        } catch (ModelUnavailableException e) {
            // a PartialAnswerException (the stream broke mid-answer) or the embedder failing
            if (!(e instanceof PartialAnswerException)) {
                throw e; // counted by retrieve()
            }
            metrics.upstreamError("chat");
            metrics.generationEnded("failed");
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            metrics.generationEnded("cancelled");
            RequestCancellation.Reason reason = cancellation.reason();
            throw new RequestCancellation.CancelledException(
                    reason == null ? RequestCancellation.Reason.SHUTDOWN : reason);
        } finally {
            cancellation.answered();
        }
    }

    /** Counts tokens and notes when the first and last arrived. */
    private static final class TokenCounter implements Consumer<String> {
        private final Consumer<String> downstream;
        volatile long firstAt;
        volatile long lastAt;
        volatile int tokens;

        TokenCounter(Consumer<String> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void accept(String token) {
            long now = System.nanoTime();
            if (firstAt == 0) {
                firstAt = now;
            }
            lastAt = now;
            tokens++;
            downstream.accept(token);
        }
    }

    static double ms(long nanos) {
        return Math.round(nanos / 100_000.0) / 10.0;
    }

    // ---- JSON shapes (field names are a public contract) ----

    static Map<String, Object> sourceJson(Source s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", s.n());
        m.put("documentId", DocumentIds.encode(s.path()));
        m.put("path", s.path());
        m.put("title", s.title());
        m.put("chunk", s.chunk());
        m.put("score", s.score());
        m.put("text", s.text());
        return m;
    }

    static List<Map<String, Object>> sourcesJson(List<Source> sources) {
        List<Map<String, Object>> out = new ArrayList<>();
        sources.forEach(s -> out.add(sourceJson(s)));
        return out;
    }

    static List<Map<String, Object>> citationsJson(List<Citation> citations) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Citation c : citations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", c.n());
            m.put("documentId", DocumentIds.encode(c.path()));
            m.put("path", c.path());
            m.put("title", c.title());
            m.put("chunk", c.chunk());
            m.put("section", c.section());
            m.put("page", c.page());
            m.put("score", c.score());
            m.put("snippet", c.snippet());
            out.add(m);
        }
        return out;
    }

    /** The body of {@code POST /v1/query} and of the stream's {@code done} event (without sources there). */
    static Map<String, Object> resultJson(Result r, boolean withSources) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("answer", r.answer().text());
        m.put("citations", citationsJson(r.answer().citations()));
        if (withSources) {
            m.put("sources", sourcesJson(r.answer().sources()));
        }
        m.put("timings", r.timings());
        m.put("kind", r.answer().kind().id());
        m.put("model", r.answer().model());
        m.put("notice", r.answer().notice());
        m.put("removedCitations", r.answer().removedMarkers());
        m.put("collection", r.collection());
        m.put("query", r.answer().query());
        return m;
    }
}
