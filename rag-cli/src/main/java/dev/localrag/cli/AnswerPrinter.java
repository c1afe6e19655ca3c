package dev.localrag.cli;

import dev.localrag.core.answer.Answer;
import dev.localrag.core.answer.AnswerHandler;
import dev.localrag.core.answer.Citation;
import dev.localrag.core.answer.Source;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints answers for people (streamed, then a Sources block) and for machines (--json). */
final class AnswerPrinter {

    private final CliEnvironment environment;

    AnswerPrinter(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Streams answer tokens (and thinking, dimmed in brackets) as they arrive. */
    AnswerHandler streaming() {
        PrintWriter out = environment.out();
        return new AnswerHandler() {
            private boolean thinking;

            @Override
            public void onThinking(String token) {
                if (!thinking) {
                    out.print("<think>");
                    thinking = true;
                }
                out.print(token);
                out.flush();
            }

            @Override
            public void onToken(String token) {
                if (thinking) {
                    out.print("</think>\n");
                    thinking = false;
                }
                out.print(token);
                out.flush();
            }
        };
    }

    /** After a streamed answer: the rest of it (extractive text, not-found) and its sources. */
    void finish(Answer answer) {
        PrintWriter out = environment.out();
        switch (answer.kind()) {
            case EXTRACTIVE -> out.println(displayPaths(answer.text(), answer.sources()));
            case NOT_FOUND -> out.println(answer.text());
            case GENERATED -> {
                out.println();
                if (!answer.complete()) {
                    out.println("[incomplete: " + answer.notice() + "]");
                }
                printSources(answer);
            }
        }
        out.flush();
    }

    void printSources(Answer answer) {
        PrintWriter out = environment.out();
        List<Source> cited = new ArrayList<>();
        for (Citation c : answer.citations()) {
            answer.sources().stream().filter(s -> s.n() == c.n()).findFirst().ifPresent(cited::add);
        }
        List<Source> shown = cited.isEmpty() ? answer.sources() : cited;
        out.println();
        out.println(cited.isEmpty() ? "Sources (retrieved; the answer cites none):" : "Sources:");
        for (Source s : shown) {
            out.println(sourceLine(s));
        }
        int others = answer.sources().size() - shown.size();
        if (others > 0) {
            out.println("  (" + others + " more retrieved, not cited; /sources in chat or --json lists them)");
        }
    }

    String sourceLine(Source s) {
        StringBuilder line = new StringBuilder("  [").append(s.n()).append("] ").append(environment.display(s.path()));
        if (!s.section().isBlank()) {
            line.append(" › ").append(s.section());
        }
        if (s.page() > 0) {
            line.append(", page ").append(s.page());
        }
        line.append(String.format(Locale.ROOT, "  (chunk %d, score %.4f)", s.chunk(), s.score()));
        return line.toString();
    }

    /** The extractive answer with each source's path shown relative to the working directory. */
    private String displayPaths(String text, List<Source> sources) {
        for (Source s : sources) {
            text = text.replace("] " + s.path() + " (chunk", "] " + environment.display(s.path()) + " (chunk");
        }
        return text;
    }

    /** --json output of ask; field names are a public contract. */
    record JsonAnswer(
            String answer,
            String kind,
            String model,
            String notice,
            boolean complete,
            int removedMarkers,
            String query,
            List<Citation> citations,
            List<JsonSource> sources,
            JsonTimings timings) {}

    record JsonSource(
            int n, String path, String title, String section, int page, int chunk, double score, String text) {}

    record JsonTimings(long retrievalMs, long firstTokenMs, double tokensPerSecond, long totalMs) {}

    static JsonAnswer json(Answer answer) {
        List<JsonSource> sources = answer.sources().stream()
                .map(s -> new JsonSource(
                        s.n(), s.path(), s.title(), s.section(), s.page(), s.chunk(), s.score(), s.text()))
                .toList();
        var t = answer.timings();
        return new JsonAnswer(
                answer.text(),
                answer.complete() ? answer.kind().id() : "incomplete",
                answer.model(),
                answer.notice(),
                answer.complete(),
                answer.removedMarkers(),
                answer.query(),
                answer.citations(),
                sources,
                new JsonTimings(t.retrievalMillis(), t.firstTokenMillis(), t.tokensPerSecond(), t.totalMillis()));
    }
}
