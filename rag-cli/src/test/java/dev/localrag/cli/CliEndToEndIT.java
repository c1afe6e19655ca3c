package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.testing.OllamaTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The whole slice through the CLI: ingest the shipped sample corpus with the in-process embedder,
 * then search and ask. No network, no Ollama: OLLAMA_HOST points at a closed port, or at the
 * project's Ollama test server where a test needs a chat model.
 */
class CliEndToEndIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path CORPUS = REPO.resolve("datasets/corpora/ollama-docs");
    /** Nothing listens on the discard port: Ollama is "not running". */
    private static final Map<String, String> NO_OLLAMA = Map.of("OLLAMA_HOST", "127.0.0.1:9");

    @TempDir
    static Path home;

    static Path index;
    static CliRun ingest;

    @BeforeAll
    static void ingestSampleCorpus() {
        index = home.resolve("index");
        ingest = CliRun.run(home, REPO, NO_OLLAMA, "ingest", CORPUS.toString(), "--index", index.toString());
    }

    @Test
    void ingestIndexesEveryFileOfTheSampleCorpusAndSaysWhichEmbedderItChose() throws Exception {
        long files;
        try (var walk = Files.walk(CORPUS)) {
            files = walk.filter(Files::isRegularFile).count();
        }
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).contains("Indexed " + files + " files").contains("embedder onnx:bge-small-en-v1.5");
        assertThat(ingest.out()).containsPattern("\\(\\d+ chunks\\) in \\d+\\.\\d s");
        assertThat(ingest.err()).contains("Ollama is not reachable").contains("in-process embedder");
    }

    @Test
    void ingestingAgainDoesNothingForUnchangedFiles() {
        CliRun again = CliRun.run(home, REPO, NO_OLLAMA, "ingest", CORPUS.toString(), "--index", index.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("Indexed 0 files (0 chunks)").containsPattern("; \\d+ unchanged, 0 skipped");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "How do I change the port Ollama listens on? | faq.mdx | 11434",
                "How can I import a GGUF model?               | import.mdx | GGUF",
                "Which AMD Radeon GPUs are supported?         | gpu.mdx | Radeon",
                "How do I increase the context length?        | context-length.mdx | context length",
                // the FAQ's section "Where are models stored?" (macOS: ~/.ollama/models) is the direct answer; with
                // heading breadcrumbs in the chunks it now ranks first, ahead of macos.mdx's uninstall notes
                "Where are models stored on macOS?            | faq.mdx | ~/.ollama/models",
            })
    void askWithoutOllamaCitesTheFileThatHoldsTheAnswer(String question, String file, String evidence)
            throws Exception {
        CliRun ask = CliRun.run(home, REPO, NO_OLLAMA, "ask", question, "--index", index.toString(), "--json");

        assertThat(ask.exitCode()).as(ask.toString()).isZero();
        assertThat(ask.err()).contains("Generated answers need Ollama").contains("ollama serve");
        JsonNode answer = JSON.readTree(ask.out());
        assertThat(answer.path("kind").asText()).isEqualTo("extractive");
        JsonNode first = answer.path("sources").get(0);
        assertThat(first.path("n").asInt()).isEqualTo(1);
        assertThat(first.path("path").asText()).endsWith("/" + file);
        assertThat(answer.path("answer").asText())
                .contains("[1] " + first.path("path").asText())
                .contains(evidence);
    }

    @Test
    void askPrintsNumberedPassagesWithFilesRelativeToTheWorkingDirectory() {
        CliRun ask = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "ask",
                "How do I change the port Ollama listens on?",
                "--index",
                index.toString());

        assertThat(ask.exitCode()).as(ask.toString()).isZero();
        assertThat(ask.out())
                .startsWith("Retrieved passages (no generated answer):")
                .contains("[1] datasets/corpora/ollama-docs/faq.mdx (chunk ")
                .contains("port 11434");
    }

    @Test
    void searchJsonHasRankedHitsWithPathTitleScoreAndText() throws Exception {
        CliRun search = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "search",
                "change the port Ollama listens on",
                "--index",
                index.toString(),
                "-k",
                "3",
                "--json");

        assertThat(search.exitCode()).as(search.toString()).isZero();
        JsonNode hits = JSON.readTree(search.out()).path("hits");
        assertThat(hits).hasSize(3);
        assertThat(hits.get(0).path("rank").asInt()).isEqualTo(1);
        assertThat(hits.get(0).path("path").asText()).endsWith("/faq.mdx");
        assertThat(hits.get(0).path("title").asText()).isEqualTo("FAQ");
        assertThat(hits.get(0).path("score").asDouble()).isPositive();
        assertThat(hits.get(0).path("text").asText()).isNotBlank();
        assertThat(hits.get(0).path("score").asDouble())
                .isGreaterThanOrEqualTo(hits.get(2).path("score").asDouble());
    }

    @Test
    void everySearchModeFindsThePortAnswer() throws Exception {
        for (String mode : new String[] {"vector", "keyword", "hybrid"}) {
            CliRun search = CliRun.run(
                    home,
                    REPO,
                    NO_OLLAMA,
                    "search",
                    "OLLAMA_HOST bind address port 11434",
                    "--mode",
                    mode,
                    "--index",
                    index.toString(),
                    "-k",
                    "3",
                    "--json");
            assertThat(search.exitCode()).as(search.toString()).isZero();
            assertThat(JSON.readTree(search.out()).path("hits").findValuesAsText("path"))
                    .as(mode)
                    .anySatisfy(p -> assertThat(p).endsWith("/faq.mdx"));
        }
    }

    @Test
    void searchFiltersOnDocumentMetadataInsideTheSearch() throws Exception {
        // given the paths of the files an unfiltered search finds first (faq.mdx holds the answer)
        String query = "OLLAMA_HOST bind address port 11434";
        CliRun all =
                CliRun.run(home, REPO, NO_OLLAMA, "search", query, "--index", index.toString(), "-k", "10", "--json");
        List<String> paths = JSON.readTree(all.out()).path("hits").findValuesAsText("path").stream()
                .distinct()
                .toList();
        assertThat(paths).as(all.toString()).hasSizeGreaterThanOrEqualTo(2);
        String faq =
                paths.stream().filter(p -> p.endsWith("/faq.mdx")).findFirst().orElseThrow();
        String other = paths.stream().filter(p -> !p.equals(faq)).findFirst().orElseThrow();

        // when filtering on the other file's path, then only its passages come back
        CliRun filtered = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "search",
                query,
                "--index",
                index.toString(),
                "--filter",
                "path=" + other,
                "--json");
        assertThat(filtered.exitCode()).as(filtered.toString()).isZero();
        assertThat(JSON.readTree(filtered.out()).path("hits").findValuesAsText("path"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(p).isEqualTo(other));

        // when allowing both paths with at most one passage each, then there is one hit per file
        CliRun capped = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "search",
                query,
                "--index",
                index.toString(),
                "--filter",
                "path=" + faq,
                "--filter",
                "path=" + other,
                "--max-per-doc",
                "1",
                "--json");
        assertThat(capped.exitCode()).as(capped.toString()).isZero();
        assertThat(JSON.readTree(capped.out()).path("hits").findValuesAsText("path"))
                .containsExactlyInAnyOrder(faq, other);

        // and a malformed filter is a usage error naming the flag
        CliRun bad = CliRun.run(
                home, REPO, NO_OLLAMA, "search", "port", "--index", index.toString(), "--filter", "mime_type");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.err()).contains("--filter").contains("KEY=VALUE");

        // when the vector search explores more candidates, then the FAQ's answer is still among the top 3
        CliRun wide = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "search",
                query,
                "--index",
                index.toString(),
                "--mode",
                "vector",
                "--candidates",
                "2000",
                "-k",
                "3",
                "--json");
        assertThat(wide.exitCode()).as(wide.toString()).isZero();
        assertThat(JSON.readTree(wide.out()).path("hits").findValuesAsText("path"))
                .contains(faq);

        // and a negative candidate count is a usage error naming the flag and the value
        CliRun negative =
                CliRun.run(home, REPO, NO_OLLAMA, "search", "port", "--index", index.toString(), "--candidates", "-3");
        assertThat(negative.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(negative.err()).contains("--candidates").contains("-3");
    }

    @Test
    void askingTheIndexForAnotherEmbedderIsAUsageErrorNamingBoth() {
        CliRun search = CliRun.run(
                home,
                REPO,
                NO_OLLAMA,
                "search",
                "port",
                "--index",
                index.toString(),
                "--embedder",
                "ollama:qwen3-embedding:0.6b-q8_0");

        assertThat(search.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(search.err()).contains("onnx:bge-small-en-v1.5").contains("ollama:qwen3-embedding:0.6b-q8_0");
    }

    @Test
    void askStreamsAGeneratedAnswerThroughOllamaWhenItRuns() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M"), 64)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun ask = CliRun.run(
                    home,
                    REPO,
                    env,
                    "ask",
                    "How do I change the port Ollama listens on?",
                    "--index",
                    index.toString(),
                    "-k",
                    "3");

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            assertThat(ask.out())
                    .startsWith("According to your documents, the answer is in these sources [1][2][3].")
                    .contains(
                            "\n\nSources:\n  [1] datasets/corpora/ollama-docs/faq.mdx › How can I expose Ollama on my network?  (chunk ");
            assertThat(ask.err()).doesNotContain("Generated answers need Ollama");
            JsonNode chat = ollama.requests("/api/chat").getFirst().body();
            assertThat(chat.path("model").asText()).isEqualTo("qwen3:4b-instruct-2507-q4_K_M");
            assertThat(chat.path("stream").asBoolean(true)).isTrue();
            assertThat(chat.path("messages").get(1).path("content").asText())
                    .contains("How do I change the port Ollama listens on?")
                    .contains("port 11434");
        }
    }

    @Test
    void askRerankedByTheChatModelAnswersFromThePassagesItRanked() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M"), 64)) {
            CliRun ask = CliRun.run(
                    home,
                    REPO,
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    "ask",
                    "How do I change the port Ollama listens on?",
                    "--index",
                    index.toString(),
                    "-k",
                    "2",
                    "--rerank",
                    "chat",
                    "--rerank-candidates",
                    "8");

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            // first the listwise ranking request over the 8 candidates, then the answer from the best 2
            List<JsonNode> chats = ollama.requests("/api/chat").stream()
                    .map(OllamaTestServer.Request::body)
                    .toList();
            assertThat(chats).hasSize(2);
            String ranking =
                    chats.get(0).path("messages").get(1).path("content").asText();
            assertThat(ranking)
                    .startsWith("Question: How do I change the port Ollama listens on?\n\nPassages:\n[1] ")
                    .contains("\n[8] ")
                    .doesNotContain("\n[9] ");
            assertThat(ask.out()).startsWith("According to your documents, the answer is in these sources [1][2].");
        }
    }

    @Test
    void askJsonCarriesCitationsSourcesAndTimings() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M"), 64)) {
            CliRun ask = CliRun.run(
                    home,
                    REPO,
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    "ask",
                    "How do I change the port Ollama listens on?",
                    "--index",
                    index.toString(),
                    "-k",
                    "2",
                    "--json");

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            JsonNode answer = JSON.readTree(ask.out());
            assertThat(answer.path("kind").asText()).isEqualTo("generated");
            assertThat(answer.path("complete").asBoolean()).isTrue();
            assertThat(answer.path("model").asText()).isEqualTo("qwen3:4b-instruct-2507-q4_K_M");
            assertThat(answer.path("answer").asText()).contains("[1][2]");
            assertThat(answer.path("citations")).hasSize(2);
            JsonNode first = answer.path("citations").get(0);
            assertThat(first.path("n").asInt()).isEqualTo(1);
            assertThat(first.path("path").asText()).endsWith("/faq.mdx");
            assertThat(first.path("snippet").asText()).contains("11434");
            assertThat(first.path("section").asText()).isEqualTo("How can I expose Ollama on my network?");
            assertThat(answer.path("sources")).hasSize(2);
            assertThat(answer.path("sources").get(0).has("text")).isTrue();
            JsonNode timings = answer.path("timings");
            assertThat(timings.path("retrievalMs").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(timings.path("firstTokenMs").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(timings.path("totalMs").asLong())
                    .isGreaterThanOrEqualTo(timings.path("firstTokenMs").asLong());
        }
    }

    @Test
    void anOffTopicQuestionIsNotFoundWithoutCallingTheModel() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M"), 64)) {
            CliRun ask = CliRun.run(
                    home,
                    REPO,
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    "ask",
                    "Who won the 2018 football world cup?",
                    "--index",
                    index.toString(),
                    "--json");

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            JsonNode answer = JSON.readTree(ask.out());
            assertThat(answer.path("kind").asText()).isEqualTo("not-found");
            assertThat(answer.path("answer").asText()).startsWith("Not found in your documents");
            assertThat(ollama.requests("/api/chat")).isEmpty();
        }
    }

    @Test
    void chatKeepsHistoryCondensesFollowUpsAndHandlesCommands() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3:4b-instruct-2507-q4_K_M"), 64)) {
            String input = String.join(
                    "\n",
                    "How do I change the port Ollama listens on?",
                    "/sources",
                    "And on Windows?",
                    "/reset",
                    "/help",
                    "/bogus",
                    "");

            CliRun chat = CliRun.runWithInput(
                    home,
                    REPO,
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    input,
                    "chat",
                    "--index",
                    index.toString(),
                    "-k",
                    "3");

            assertThat(chat.exitCode()).as(chat.toString()).isZero();
            assertThat(chat.out())
                    .contains("According to your documents")
                    .contains("  [1] datasets/corpora/ollama-docs/faq.mdx")
                    .contains("Conversation forgotten.")
                    .contains("/sources  the last answer's sources")
                    .contains("Unknown command /bogus");
            var chats = ollama.requests("/api/chat");
            assertThat(chats).hasSize(3); // answer, condense the follow-up, answer
            String condense =
                    chats.get(1).body().path("messages").get(1).path("content").asText();
            assertThat(condense)
                    .contains("User: How do I change the port Ollama listens on?")
                    .contains("Follow-up: And on Windows?");
            JsonNode secondAnswer = chats.get(2).body().path("messages");
            assertThat(secondAnswer).hasSize(4); // system, history user + assistant, question with sources
            assertThat(secondAnswer.get(1).path("content").asText())
                    .isEqualTo("How do I change the port Ollama listens on?");
        }
    }

    @Test
    void askSaysWhichModelToPullWhenOllamaLacksIt() {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("llama3.2:latest"), 64)) {
            CliRun ask = CliRun.run(
                    home,
                    REPO,
                    Map.of("OLLAMA_HOST", ollama.baseUrl().toString()),
                    "ask",
                    "How do I change the port Ollama listens on?",
                    "--index",
                    index.toString());

            assertThat(ask.exitCode()).as(ask.toString()).isZero();
            assertThat(ask.err()).as(ask.toString()).contains("ollama pull qwen3:4b-instruct-2507-q4_K_M");
            assertThat(ollama.requests("/api/chat")).isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void ingestThroughOllamaEmbeddingsSendsBatchedInputArrays(@TempDir Path tmp) throws Exception {
        Path docs = Files.createDirectories(tmp.resolve("docs"));
        for (int i = 0; i < 5; i++) {
            Files.writeString(
                    docs.resolve("note" + i + ".md"), "# Note " + i + "\n\nThis note talks about topic " + i + ".");
        }
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of("qwen3-embedding:0.6b-q8_0"), 512)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun run = CliRun.run(
                    home,
                    tmp,
                    env,
                    "ingest",
                    docs.toString(),
                    "--index",
                    tmp.resolve("idx").toString());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.err()).contains("Ollama embeddings (ollama:qwen3-embedding:0.6b-q8_0)");
            assertThat(run.out())
                    .contains("Indexed 5 files (5 chunks)")
                    .contains("embedder ollama:qwen3-embedding:0.6b-q8_0");
            assertThat(ollama.requests("/api/embed"))
                    .anySatisfy(r -> assertThat(r.body().path("input").size()).isEqualTo(5));

            CliRun search = CliRun.run(
                    home,
                    tmp,
                    env,
                    "search",
                    "topic 3",
                    "--index",
                    tmp.resolve("idx").toString(),
                    "--mode",
                    "vector",
                    "--json");
            assertThat(JSON.readTree(search.out())
                            .path("hits")
                            .get(0)
                            .path("path")
                            .asText())
                    .endsWith("note3.md");
        }
    }

    @Test
    void everyCommandExplainsItselfInHelp() {
        for (String command : new String[] {"ingest", "search", "ask", "chat"}) {
            CliRun help = CliRun.run(home, REPO, NO_OLLAMA, command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out())
                    .contains("Usage: rag " + command)
                    .contains("--index")
                    .contains("--embedder");
        }
        CliRun top = CliRun.run(home, REPO, NO_OLLAMA, "--help");
        assertThat(top.out())
                .contains("ingest")
                .contains("search")
                .contains("ask")
                .contains("Exit codes");
    }

    @Test
    void searchingAMissingIndexSaysHowToBuildOne() {
        Path missing = home.resolve("no-index");

        CliRun run = CliRun.run(home, REPO, NO_OLLAMA, "search", "port", "--index", missing.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("No index at " + missing).contains("rag ingest");
    }
}
