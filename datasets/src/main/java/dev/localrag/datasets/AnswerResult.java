package dev.localrag.datasets;

/**
 * Mean answer quality over the questions asked.
 *
 * @param model the chat model that answered
 * @param questions questions asked (those with gold answers)
 * @param exactMatch share of answers equal to a gold answer after normalisation (citations,
 *     punctuation, case and English articles removed)
 * @param tokenF1 mean best token F1 against the gold answers (SQuAD style; each CJK character is a
 *     token, as in CMRC 2018's evaluation)
 * @param containsGold share of answers that contain a gold answer
 * @param citationPrecision mean, over answers that cite something, of cited documents that are
 *     judged relevant
 * @param citingAnswers answers with at least one valid citation [n]
 * @param notFoundRate share of answers saying the documents do not contain the answer
 * @param millis total time to answer
 */
public record AnswerResult(
        String model,
        int questions,
        double exactMatch,
        double tokenF1,
        double containsGold,
        double citationPrecision,
        int citingAnswers,
        double notFoundRate,
        long millis) {}
