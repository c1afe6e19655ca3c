package dev.localrag.datasets;

import dev.localrag.core.Checks;
import java.util.List;
import java.util.Map;

/**
 * A query with relevance judgments.
 *
 * @param id the query's {@code _id}
 * @param text the query text
 * @param relevance judged documents by id with their grade; grade > 0 means relevant
 * @param answers gold answers from {@code answers.jsonl}, empty when there are none
 */
public record JudgedQuery(String id, String text, Map<String, Integer> relevance, List<String> answers) {

    public JudgedQuery {
        Checks.notBlank(id, "id");
        text = text == null ? "" : text;
        relevance = Map.copyOf(relevance);
        answers = List.copyOf(answers);
    }

    /** Whether {@code documentId} is judged relevant (grade > 0). */
    public boolean isRelevant(String documentId) {
        return relevance.getOrDefault(documentId, 0) > 0;
    }
}
