package dev.localrag.core.rerank;

import dev.localrag.core.Checks;
import dev.localrag.core.ModelProtocolException;
import dev.localrag.core.answer.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chat model as a listwise reranker: one prompt lists the numbered passages, the model answers
 * with their numbers, most relevant first, and passages it leaves out keep their retrieval order
 * behind the ones it named. Needs no reranking model, but costs one chat request per search and is
 * only as good as the chat model's reading. Spec {@code chat}: the configured chat model.
 */
public final class ChatReranker implements Reranker {

    /** Characters of each passage shown to the model; longer ones are cut. */
    public static final int PASSAGE_CHARS = 600;

    static final String SYSTEM = "You rank passages by how well they answer a question. Reply with the numbers of"
            + " the passages that help answer it, the most useful first, separated by commas (for example: 3, 1, 2)."
            + " Leave out passages that do not help. Reply with the numbers only.";

    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final Pattern THINKING = Pattern.compile("(?s)<think>.*?</think>");

    private final Generator chat;

    public ChatReranker(Generator chat) {
        this.chat = Checks.notNull(chat, "chat");
    }

    @Override
    public List<Ranked> score(String query, List<String> documents) {
        if (Rerankers.nothingToScore(query, documents)) {
            return List.of();
        }
        String reply = chat.complete(SYSTEM, prompt(query, documents));
        List<Integer> order = parseOrder(reply, documents.size());
        if (order.isEmpty()
                && !reply.isBlank()
                && NUMBER.matcher(visible(reply)).find()) {
            throw new ModelProtocolException("The chat model " + chat.model() + " ranked passages that do not exist"
                    + " (there were " + documents.size() + "): \"" + abbreviate(reply) + "\".");
        }
        List<Ranked> out = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            out.add(new Ranked(order.get(i), (double) (order.size() - i) / order.size()));
        }
        return out;
    }

    /** The user message: the question, then each passage as {@code [n] text}, numbered from 1. */
    static String prompt(String query, List<String> documents) {
        StringBuilder p = new StringBuilder("Question: ").append(query.strip()).append("\n\nPassages:\n");
        for (int i = 0; i < documents.size(); i++) {
            String d = documents.get(i).strip().replaceAll("\\s+", " ");
            if (d.length() > PASSAGE_CHARS) {
                d = d.substring(0, PASSAGE_CHARS) + " ...";
            }
            p.append('[').append(i + 1).append("] ").append(d).append('\n');
        }
        return p.append("\nThe passage numbers, most useful first:").toString();
    }

    /**
     * The 0-based passage indexes the reply names, in its order: numbers from 1 to {@code n}, each
     * once; other numbers and words are ignored, and so is a {@code <think>} block.
     */
    static List<Integer> parseOrder(String reply, int n) {
        List<Integer> out = new ArrayList<>();
        boolean[] seen = new boolean[n];
        Matcher m = NUMBER.matcher(visible(reply));
        while (m.find()) {
            String digits = m.group();
            if (digits.length() > 6) {
                continue;
            }
            int i = Integer.parseInt(digits) - 1;
            if (i >= 0 && i < n && !seen[i]) {
                seen[i] = true;
                out.add(i);
            }
        }
        return out;
    }

    private static String visible(String reply) {
        return THINKING.matcher(reply == null ? "" : reply).replaceAll("");
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    @Override
    public String describe() {
        return "chat:" + chat.model();
    }
}
