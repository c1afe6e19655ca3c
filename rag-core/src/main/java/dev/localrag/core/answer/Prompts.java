package dev.localrag.core.answer;

import dev.localrag.core.text.CjkText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The prompt templates and fixed answers, kept as resources next to this class. */
final class Prompts {

    private final String system;
    private final String user;
    private final String condense;
    private final String notFoundEnglish;
    private final String notFoundChinese;

    private Prompts() {
        this.system = resource("system-prompt.txt");
        this.user = resource("user-prompt.txt");
        this.condense = resource("condense-prompt.txt");
        this.notFoundEnglish = resource("not-found-en.txt").strip();
        this.notFoundChinese = resource("not-found-zh.txt").strip();
    }

    static Prompts load() {
        return new Prompts();
    }

    String system(String question) {
        String language = CjkText.containsCjk(question) ? "The question is in Chinese: answer in Chinese." : "";
        return system.replace("{{language}}", language).strip();
    }

    String condense() {
        return condense.strip();
    }

    String notFound(String question) {
        return CjkText.containsCjk(question) ? notFoundChinese : notFoundEnglish;
    }

    /** The user message without sources: what the budget must always leave room for. */
    String userWithoutSources(String question) {
        return user(question, List.of());
    }

    String user(String question, List<Source> sources) {
        StringBuilder block = new StringBuilder();
        for (Source s : sources) {
            block.append(header(s)).append('\n').append(s.text().strip()).append("\n\n");
        }
        return user.replace("{{sources}}", block.toString().strip())
                .replace("{{question}}", question.strip())
                .strip();
    }

    /** {@code [n] Title › Section (path, page p, chunk c)}. */
    static String header(Source s) {
        StringBuilder h = new StringBuilder().append('[').append(s.n()).append("] ");
        h.append(s.title().isBlank() ? s.path() : s.title());
        if (!s.section().isBlank()) {
            h.append(" › ").append(s.section());
        }
        h.append(" (").append(s.path());
        if (s.page() > 0) {
            h.append(", page ").append(s.page());
        }
        return h.append(", chunk ").append(s.chunk()).append(')').toString();
    }

    private static String resource(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("prompt resource " + name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
