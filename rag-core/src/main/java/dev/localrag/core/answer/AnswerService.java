package dev.localrag.core.answer;

import dev.localrag.core.Checks;
import dev.localrag.core.IncompleteAnswerException;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.OperationCancelledException;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SearchMode;
import dev.localrag.core.retrieval.Retriever;
import java.util.ArrayList;
import java.util.List;

/**
 * Retrieves sources for a question and answers from them: through the chat model when there is
 * one, otherwise (or when it fails before saying anything) with the retrieved passages themselves.
 */
public final class AnswerService {

    private static final int SNIPPET_CHARS = 600;

    private final Retriever retriever;
    private final Generator generator;
    private final String noGeneratorNotice;
    private final Prompts prompts = Prompts.load();

    /**
     * @param generator the chat model, or null to always answer extractively
     * @param noGeneratorNotice why there is no generator (shown with extractive answers)
     */
    public AnswerService(Retriever retriever, Generator generator, String noGeneratorNotice) {
        this.retriever = Checks.notNull(retriever, "retriever");
        this.generator = generator;
        this.noGeneratorNotice = noGeneratorNotice == null ? "" : noGeneratorNotice;
    }

    public Answer ask(String question, SearchMode mode, int k, AnswerHandler handler) {
        Checks.notBlank(question, "question");
        List<SearchHit> hits = retriever.retrieve(question, mode, k);
        List<Source> sources = new ArrayList<>(hits.size());
        for (SearchHit hit : hits) {
            sources.add(Source.of(sources.size() + 1, hit));
        }
        handler.onRetrieved(List.copyOf(sources));
        Answer answer;
        if (sources.isEmpty()) {
            answer = extractive(question, sources, "The index has no passages matching the question.");
        } else if (generator == null) {
            answer = extractive(question, sources, noGeneratorNotice);
        } else {
            answer = generate(question, sources, handler);
        }
        handler.onComplete(answer);
        return answer;
    }

    private Answer generate(String question, List<Source> sources, AnswerHandler handler) {
        StringBuilder streamed = new StringBuilder();
        try {
            String text = generator.generate(prompts.system(), prompts.user(question, sources), token -> {
                streamed.append(token);
                handler.onToken(token);
            });
            return new Answer(text, sources, Answer.Kind.GENERATED, generator.model(), "");
        } catch (IncompleteAnswerException e) {
            handler.onError(e, e.partialText());
            throw e; // a partial answer is never passed off as complete
        } catch (OperationCancelledException e) {
            handler.onError(e, streamed.toString());
            throw e;
        } catch (ModelUnavailableException e) {
            if (!streamed.isEmpty()) {
                IncompleteAnswerException incomplete = new IncompleteAnswerException(
                        "The answer stopped before it was complete: " + e.getMessage(), streamed.toString(), e);
                handler.onError(incomplete, incomplete.partialText());
                throw incomplete;
            }
            return extractive(question, sources, e.getMessage());
        }
    }

    /** The retrieved passages, numbered, as the answer: for each, the part that best matches. */
    static Answer extractive(String question, List<Source> sources, String notice) {
        StringBuilder text = new StringBuilder();
        if (sources.isEmpty()) {
            text.append("No passages in your documents match the question.");
        } else {
            text.append("Retrieved passages (no generated answer):\n");
            for (Source s : sources) {
                text.append("\n[")
                        .append(s.n())
                        .append("] ")
                        .append(s.path())
                        .append(" (chunk ")
                        .append(s.chunk())
                        .append(")\n")
                        .append(indent(Snippets.best(s.text(), question, SNIPPET_CHARS)))
                        .append('\n');
            }
        }
        return new Answer(text.toString().stripTrailing(), sources, Answer.Kind.EXTRACTIVE, "", notice);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}
