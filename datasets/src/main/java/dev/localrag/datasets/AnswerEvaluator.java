package dev.localrag.datasets;

import dev.localrag.core.Checks;
import dev.localrag.core.ModelUnavailableException;
import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.AnswerService;
import dev.localrag.core.answer.Source;
import dev.localrag.core.index.SearchMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Asks each question that has gold answers through an {@link AnswerService} with a chat model and
 * scores the answers: exact match, token F1, contains-gold, citation precision and not-found rate.
 */
public final class AnswerEvaluator {

    private final AnswerService service;
    private final String model;
    private final SearchMode mode;
    private final int k;

    /**
     * @param service must have a generator: extractive answers are not evaluated
     * @param model the chat model's name, for the report
     */
    public AnswerEvaluator(AnswerService service, String model, SearchMode mode, int k) {
        this.service = Checks.notNull(service, "service");
        this.model = Checks.notBlank(model, "model");
        this.mode = Checks.notNull(mode, "mode");
        this.k = Checks.positive(k, "k");
    }

    /**
     * @throws ModelUnavailableException when the chat model does not answer (an extractive
     *     fallback is not scored as if the model had answered)
     */
    public AnswerResult evaluate(List<JudgedQuery> queries, Consumer<String> progress) {
        List<JudgedQuery> asked =
                queries.stream().filter(q -> !q.answers().isEmpty()).toList();
        double em = 0;
        double f1 = 0;
        double contains = 0;
        double precision = 0;
        int citing = 0;
        int notFound = 0;
        long start = System.nanoTime();
        int done = 0;
        for (JudgedQuery q : asked) {
            Answer answer = service.ask(q.text(), mode, k, new AnswerHandler() {});
            if (answer.kind() != Answer.Kind.GENERATED && !answer.sources().isEmpty()) {
                throw new ModelUnavailableException("Answer evaluation needs the chat model " + model
                        + ", but question " + q.id() + " got no generated answer: " + answer.notice());
            }
            // nothing retrieved: the service says so without the model; that counts as "not found"
            String text = answer.kind() == Answer.Kind.GENERATED ? answer.text() : "The documents do not contain it.";
            em += AnswerScoring.exactMatch(text, q.answers());
            f1 += AnswerScoring.tokenF1(text, q.answers());
            contains += AnswerScoring.containsGold(text, q.answers());
            if (AnswerScoring.saysNotFound(text)) {
                notFound++;
            }
            Set<String> cited = new HashSet<>();
            for (int n : AnswerScoring.citations(text)) {
                for (Source s : answer.sources()) {
                    if (s.n() == n) {
                        cited.add(s.path());
                    }
                }
            }
            if (!cited.isEmpty()) {
                citing++;
                precision += (double) cited.stream().filter(q::isRelevant).count() / cited.size();
            }
            if (++done % 25 == 0 && done < asked.size()) {
                progress.accept("Answered " + done + "/" + asked.size() + " questions");
            }
        }
        int n = asked.size();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new AnswerResult(
                model,
                n,
                n == 0 ? 0 : em / n,
                n == 0 ? 0 : f1 / n,
                n == 0 ? 0 : contains / n,
                citing == 0 ? 0 : precision / citing,
                citing,
                n == 0 ? 0 : (double) notFound / n,
                millis);
    }
}
