package dev.localrag.core.answer;

import dev.localrag.core.Checks;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.retrieval.Retrieval;
import dev.localrag.core.retrieval.Retriever;
import dev.localrag.core.text.TokenEstimate;
import java.util.ArrayList;
import java.util.List;

/**
 * The query pipeline: condense a follow-up into a standalone question, retrieve, stop with "not
 * found" when nothing is relevant, fit the sources into the model's context, stream the answer
 * (without {@code <think>} unless asked), and map its [n] markers to the sources.
 *
 * <p>Without a chat model, or when it fails before its first token, the answer is extractive: the
 * retrieved passages themselves, numbered and cited.
 */
public final class AnswerService {

    private static final int SNIPPET_CHARS = 600;
    private static final int CITATION_SNIPPET_CHARS = 300;
    /** Smallest piece of a source worth giving the model when it has to be cut to fit. */
    private static final int MIN_SOURCE_TOKENS = 64;

    private final Retriever retriever;
    private final Generator generator;
    private final String noGeneratorNotice;
    private final AnswerSettings settings;
    private final Prompts prompts = Prompts.load();

    /**
     * @param generator the chat model, or null to always answer extractively
     * @param noGeneratorNotice why there is no generator (shown with extractive answers)
     */
    public AnswerService(Retriever retriever, Generator generator, String noGeneratorNotice) {
        this(retriever, generator, noGeneratorNotice, AnswerSettings.DEFAULT);
    }

    public AnswerService(Retriever retriever, Generator generator, String noGeneratorNotice, AnswerSettings settings) {
        this.retriever = Checks.notNull(retriever, "retriever");
        this.generator = generator;
        this.noGeneratorNotice = noGeneratorNotice == null ? "" : noGeneratorNotice;
        this.settings = Checks.notNull(settings, "settings");
    }

    /** Whether answers are written by a chat model (else they are extractive). */
    public boolean generates() {
        return generator != null;
    }

    public Answer ask(String question, SearchMode mode, int k, AnswerHandler handler) {
        return ask(AnswerRequest.of(question).withMode(mode).withK(k), handler);
    }

    /**
     * Answers {@code request}, calling {@code handler} as the answer is made: a follow-up is
     * condensed into a standalone query ({@link #standaloneQuery}), which is {@linkplain #retrieve
     * retrieved}, then {@linkplain #answer answered}.
     *
     * @throws PartialAnswerException when the model's stream breaks after its first token (after
     *     {@link AnswerHandler#onError})
     */
    public Answer ask(AnswerRequest request, AnswerHandler handler) {
        long start = System.nanoTime();
        String query = standaloneQuery(request);
        return answer(request, query, retrieve(request, query), handler, start);
    }

    /**
     * Retrieves for {@code query} (the request's question, or its {@link #standaloneQuery}) with the
     * request's mode, k, filter and candidates, noting how similar the nearest matching chunk is.
     */
    public Retrieval retrieve(AnswerRequest request, String query) {
        Checks.notNull(request, "request");
        return retriever.retrieveScored(query, request.search());
    }

    /**
     * Whether {@code retrieval} holds something to answer from: a hit, and (unless keyword-only) a
     * nearest chunk at least as similar as the relevance floor. When not, {@link #answer} says "not
     * found" without calling the model.
     */
    public boolean relevant(Retrieval retrieval) {
        double floor = settings.relevanceFloor(retriever.embedder().toString());
        return !retrieval.hits().isEmpty()
                && (Double.isNaN(retrieval.bestSimilarity()) || retrieval.bestSimilarity() >= floor);
    }

    /**
     * Answers {@code request} (its history, thinking and cancellation apply) from {@code retrieval}
     * made for {@code query} by {@link #retrieve}: for callers that retrieve, then wait their turn for
     * the chat model. The hits are numbered [1]..[n] in order; "not found" when not {@link #relevant}.
     */
    public Answer answer(AnswerRequest request, String query, Retrieval retrieval, AnswerHandler handler) {
        Checks.notNull(request, "request");
        Checks.notBlank(query, "query");
        Checks.notNull(retrieval, "retrieval");
        return answer(request, query, retrieval, handler, System.nanoTime() - retrieval.millis() * 1_000_000);
    }

    private Answer answer(AnswerRequest request, String query, Retrieval retrieval, AnswerHandler handler, long start) {
        String question = request.question();
        long retrievalMillis = millisSince(start);
        double floor = settings.relevanceFloor(retriever.embedder().toString());
        if (!relevant(retrieval)) {
            handler.onRetrieved(List.of());
            Answer answer = new Answer(
                    prompts.notFound(question),
                    List.of(),
                    List.of(),
                    Answer.Kind.NOT_FOUND,
                    "",
                    retrieval.hits().isEmpty()
                            ? "no passage matches the question"
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "best similarity %.3f is below the relevance floor %.2f",
                                    retrieval.bestSimilarity(),
                                    floor),
                    true,
                    0,
                    query,
                    "",
                    new Timings(retrievalMillis, -1, 0, millisSince(start)));
            handler.onComplete(answer);
            return answer;
        }

        List<Source> sources = fitToContext(question, request.history(), retrieval.hits());
        handler.onRetrieved(sources);
        Answer answer;
        if (generator == null) {
            answer = extractive(question, query, sources, noGeneratorNotice, retrievalMillis, start);
        } else {
            answer = generate(request, query, sources, handler, retrievalMillis, start);
        }
        handler.onComplete(answer);
        return answer;
    }

    /**
     * What retrieval should search for {@code request}: a follow-up rewritten by the chat model into
     * a standalone question using the history (when there is history, a model and condensing is on),
     * else the question itself. A model that cannot be reached leaves the question as it is.
     */
    public String standaloneQuery(AnswerRequest request) {
        if (request.history().isEmpty() || !settings.condenseFollowUps() || generator == null) {
            return request.question();
        }
        StringBuilder conversation = new StringBuilder();
        for (Turn turn : request.history()) {
            conversation
                    .append(turn.role() == Turn.Role.USER ? "User: " : "Assistant: ")
                    .append(turn.content().strip())
                    .append('\n');
        }
        conversation.append("Follow-up: ").append(request.question().strip());
        try {
            String condensed = generator
                    .complete(prompts.condense(), conversation.toString())
                    .strip();
            return condensed.isEmpty() ? request.question() : condensed;
        } catch (ModelUnavailableException e) {
            return request.question(); // retrieval still works with the raw follow-up
        }
    }

    /**
     * Numbers the hits as sources and keeps as many as fit in the context window, after the system
     * prompt, history, question and the answer reserve. A source too large for what is left is cut.
     */
    List<Source> fitToContext(String question, List<Turn> history, List<SearchHit> hits) {
        int fixed = TokenEstimate.forChatModel(prompts.system(question))
                + TokenEstimate.forChatModel(prompts.userWithoutSources(question));
        for (Turn turn : history) {
            fixed += TokenEstimate.forChatModel(turn.content()) + 4;
        }
        int budget = settings.contextTokens() - settings.answerReserveTokens() - fixed;
        List<Source> out = new ArrayList<>();
        for (SearchHit hit : hits) {
            Source source = Source.of(out.size() + 1, hit);
            int cost =
                    TokenEstimate.forChatModel(Prompts.header(source)) + TokenEstimate.forChatModel(source.text()) + 2;
            if (cost <= budget) {
                out.add(source);
                budget -= cost;
                continue;
            }
            int room = budget - TokenEstimate.forChatModel(Prompts.header(source)) - 2;
            if (room >= MIN_SOURCE_TOKENS) {
                out.add(source.withText(TokenEstimate.truncateForChatModel(source.text(), room)));
            }
            break;
        }
        return out;
    }

    private Answer generate(
            AnswerRequest request,
            String query,
            List<Source> sources,
            AnswerHandler handler,
            long retrievalMillis,
            long start) {
        String question = request.question();
        long[] firstToken = {-1};
        int[] tokens = {0};
        StringBuilder visible = new StringBuilder();
        ThinkFilter filter = new ThinkFilter(
                text -> {
                    visible.append(text);
                    handler.onToken(text);
                },
                request.showThinking() ? handler::onThinking : text -> {});
        Generation generation;
        try {
            generation = generator.stream(
                    prompts.system(question),
                    request.history(),
                    prompts.user(question, sources),
                    token -> {
                        if (firstToken[0] < 0) {
                            firstToken[0] = millisSince(start);
                        }
                        tokens[0]++;
                        filter.accept(token);
                    },
                    request.cancellation());
            filter.finish();
        } catch (dev.localrag.core.OperationCancelledException e) {
            // a generator that reports cancellation by throwing: the answer so far, marked incomplete
            filter.finish();
            return finish(
                    visible.toString(),
                    sources,
                    false,
                    "cancelled before the model finished",
                    query,
                    filter,
                    timings(retrievalMillis, firstToken[0], tokens[0], start));
        } catch (dev.localrag.core.ModelNotFoundException e) {
            // the chat model went missing: still answer from the sources, saying how to get it back
            return extractive(question, query, sources, e.getMessage(), retrievalMillis, start);
        } catch (ModelUnavailableException e) {
            if (firstToken[0] < 0) {
                return extractive(question, query, sources, e.getMessage(), retrievalMillis, start);
            }
            filter.finish();
            Answer partial = finish(
                    visible.toString(),
                    sources,
                    false,
                    "the model's stream broke: " + e.getMessage(),
                    query,
                    filter,
                    timings(retrievalMillis, firstToken[0], tokens[0], start));
            handler.onError(e);
            throw new PartialAnswerException(
                    "The answer stopped before it was complete: " + e.getMessage(), partial, e);
        }
        int outputTokens = generation.outputTokens() > 0 ? generation.outputTokens() : tokens[0];
        return finish(
                visible.toString(),
                sources,
                generation.complete(),
                generation.complete() ? "" : "cancelled before the model finished",
                query,
                filter,
                timings(retrievalMillis, firstToken[0], outputTokens, start));
    }

    private Answer finish(
            String text,
            List<Source> sources,
            boolean complete,
            String notice,
            String query,
            ThinkFilter filter,
            Timings timings) {
        // an incomplete answer is shown exactly as far as it came
        Citations.Resolved resolved = Citations.resolve(complete ? text.strip() : text, sources);
        return new Answer(
                resolved.text(),
                resolved.cited().stream().map(s -> citation(s, query)).toList(),
                sources,
                Answer.Kind.GENERATED,
                generator.model(),
                notice,
                complete,
                resolved.removed(),
                query,
                filter.thinking(),
                timings);
    }

    private static Timings timings(long retrievalMillis, long firstTokenMillis, int tokens, long start) {
        long total = millisSince(start);
        long generating = Math.max(1, total - Math.max(firstTokenMillis, retrievalMillis));
        double rate = tokens <= 1 ? 0 : (tokens - 1) * 1000.0 / generating;
        return new Timings(retrievalMillis, firstTokenMillis, rate, total);
    }

    private static Citation citation(Source s, String query) {
        return new Citation(
                s.n(),
                s.path(),
                s.title(),
                s.section(),
                s.page(),
                s.chunk(),
                s.score(),
                Snippets.best(s.text(), query, CITATION_SNIPPET_CHARS));
    }

    /** The retrieved passages, numbered, as the answer: for each, the part that best matches. */
    private static Answer extractive(
            String question, String query, List<Source> sources, String notice, long retrievalMillis, long start) {
        StringBuilder text = new StringBuilder("Retrieved passages (no generated answer):\n");
        for (Source s : sources) {
            text.append("\n[")
                    .append(s.n())
                    .append("] ")
                    .append(s.path())
                    .append(" (chunk ")
                    .append(s.chunk())
                    .append(")\n")
                    .append(indent(Snippets.best(s.text(), query, SNIPPET_CHARS)))
                    .append('\n');
        }
        return new Answer(
                text.toString().stripTrailing(),
                sources.stream().map(s -> citation(s, question)).toList(),
                sources,
                Answer.Kind.EXTRACTIVE,
                "",
                notice,
                true,
                0,
                query,
                "",
                new Timings(retrievalMillis, -1, 0, millisSince(start)));
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
