package dev.localrag.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rag eval} through the CLI on a small BEIR folder, with embeddings and answers from the
 * project's Ollama test server (no Ollama, no network).
 */
class EvalCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = "qwen3:4b-instruct-2507-q4_K_M";
    private static final String EMBED = "qwen3-embedding:0.6b-q8_0";
    private static final Map<String, String> NO_OLLAMA = Map.of("OLLAMA_HOST", "127.0.0.1:9");

    @TempDir
    Path home;

    Path dataset;

    @BeforeEach
    void writeDataset() throws IOException {
        dataset = home.resolve("tiny");
        Files.createDirectories(dataset.resolve("qrels"));
        Files.writeString(dataset.resolve("corpus.jsonl"), """
                {"_id": "port", "title": "Ollama FAQ", "text": "Ollama listens on port 11434. Set OLLAMA_HOST to change it."}
                {"_id": "gpu", "title": "GPU support", "text": "AMD Radeon and NVIDIA GPUs are supported through ROCm and CUDA."}
                {"_id": "models", "title": "Model storage", "text": "On macOS models are stored in ~/.ollama/models."}
                """);
        Files.writeString(dataset.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "Which port does Ollama listen on?"}
                {"_id": "q2", "text": "Are Radeon GPUs supported?"}
                {"_id": "q3", "text": "  "}
                {"_id": "q4", "text": "Where are models stored on macOS?"}
                """);
        Files.writeString(
                dataset.resolve("qrels/test.tsv"),
                "query-id\tcorpus-id\tscore\nq1\tport\t1\nq2\tgpu\t1\nq3\tport\t1\nq4\tmodels\t1\n");
        Files.writeString(dataset.resolve("answers.jsonl"), """
                {"_id": "q1", "answers": ["11434"]}
                {"_id": "q2", "answers": ["yes"]}
                {"_id": "q4", "answers": ["~/.ollama/models"]}
                """);
    }

    @Test
    void printsATableWithEveryModeAndReusesTheIndex() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(EMBED), 32)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());
            String[] args = {"eval", dataset.toString(), "--embedder", "ollama:" + EMBED, "--cache", cache()};

            CliRun first = CliRun.run(home, home, env, args);
            CliRun second = CliRun.run(home, home, env, args);

            assertThat(first.exitCode()).as(first.toString()).isZero();
            assertThat(first.out())
                    .contains("tiny: 3 documents, 3 queries (1 with empty text skipped)")
                    .contains("index: built")
                    .containsPattern("nDCG@10 +Recall@10 +Recall@100 +MRR@10")
                    .containsPattern("(?m)^keyword +1\\.0000 +1\\.0000 +1\\.0000 +1\\.0000 +3 ")
                    .containsPattern("(?m)^vector ")
                    .containsPattern("(?m)^hybrid ");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            assertThat(second.out()).contains("index: reused");
        }
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(EMBED), 32)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun run = CliRun.run(
                    home,
                    home,
                    env,
                    "eval",
                    dataset.toString(),
                    "--embedder",
                    "ollama:" + EMBED,
                    "--cache",
                    cache(),
                    "--mode",
                    "keyword,convex:0.5",
                    "--k",
                    "5",
                    "--limit",
                    "2",
                    "--json");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            JsonNode json = JSON.readTree(run.out());
            assertThat(json.path("dataset").asText()).isEqualTo("tiny");
            assertThat(json.path("documents").asInt()).isEqualTo(3);
            assertThat(json.path("queries").asInt()).isEqualTo(2);
            assertThat(json.path("skipped_empty").asInt()).isEqualTo(1);
            assertThat(json.path("embedder").asText()).isEqualTo("ollama:" + EMBED);
            assertThat(ollama.requests("/api/embed")).isNotEmpty();
            assertThat(json.path("chunking").asText()).isEqualTo("whole");
            assertThat(json.path("index").path("passages").asInt()).isEqualTo(3);
            assertThat(json.path("index").has("build_ms")).isTrue();
            JsonNode keyword = json.path("modes").get(0);
            assertThat(keyword.path("mode").asText()).isEqualTo("keyword");
            assertThat(keyword.path("k").asInt()).isEqualTo(5);
            assertThat(keyword.path("ndcg_at_k").asDouble()).isEqualTo(1.0);
            assertThat(keyword.path("recall_at_k").asDouble()).isEqualTo(1.0);
            assertThat(keyword.path("recall_at_100").asDouble()).isEqualTo(1.0);
            assertThat(keyword.path("mrr_at_k").asDouble()).isEqualTo(1.0);
            assertThat(keyword.has("query_ms_mean")).isTrue();
            assertThat(json.path("modes").get(1).path("mode").asText()).isEqualTo("convex:0.5");
            assertThat(json.has("answers")).isFalse();
        }
    }

    @Test
    void keywordOnlyRunsEmbedNothing() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(EMBED), 32)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun run = CliRun.run(
                    home,
                    home,
                    env,
                    "eval",
                    dataset.toString(),
                    "--embedder",
                    "ollama:" + EMBED,
                    "--cache",
                    cache(),
                    "--mode",
                    "keyword",
                    "--json");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            JsonNode json = JSON.readTree(run.out());
            assertThat(json.path("embedder").asText()).isEqualTo("none (keyword only)");
            assertThat(json.path("modes").get(0).path("ndcg_at_k").asDouble()).isEqualTo(1.0);
            assertThat(ollama.requests("/api/embed")).isEmpty();
        }
    }

    @Test
    void answersAreAskedThroughTheChatModelAndScored() throws Exception {
        try (OllamaTestServer ollama = new OllamaTestServer(Set.of(EMBED, CHAT), 32)) {
            Map<String, String> env = Map.of("OLLAMA_HOST", ollama.baseUrl().toString());

            CliRun run = CliRun.run(
                    home,
                    home,
                    env,
                    "eval",
                    dataset.toString(),
                    "--embedder",
                    "ollama:" + EMBED,
                    "--cache",
                    cache(),
                    "--mode",
                    "keyword",
                    "--answers",
                    "--answer-mode",
                    "keyword",
                    "--json");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            JsonNode answers = JSON.readTree(run.out()).path("answers");
            assertThat(answers.path("model").asText()).isEqualTo(CHAT);
            assertThat(answers.path("questions").asInt()).isEqualTo(3);
            assertThat(ollama.requests("/api/chat")).hasSize(3);
            // the test server answers "... in these sources [1][2]..." citing every retrieved source
            assertThat(answers.path("exact_match").asDouble()).isZero();
            assertThat(answers.path("citing_answers").asInt()).isEqualTo(3);
            assertThat(answers.path("citation_precision").asDouble())
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo(1);
            assertThat(answers.path("not_found_rate").asDouble()).isZero();
            assertThat(answers.has("token_f1")).isTrue();
            assertThat(answers.has("contains_gold")).isTrue();
        }
    }

    @Test
    void answersWithoutOllamaFailSayingWhatIsNeeded() {
        CliRun run = CliRun.run(home, home, NO_OLLAMA, "eval", dataset.toString(), "--answers", "--cache", cache());

        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err())
                .contains("Answer evaluation needs Ollama")
                .contains("ollama serve")
                .contains("drop --answers");
        assertThat(home.resolve("cache")).doesNotExist(); // failed before indexing anything
    }

    @Test
    void badInputIsAUsageErrorNamingTheProblem() throws IOException {
        CliRun badMode = CliRun.run(home, home, NO_OLLAMA, "eval", dataset.toString(), "--mode", "fuzzy");
        assertThat(badMode.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badMode.err()).contains("--mode \"fuzzy\"").contains("keyword, vector, hybrid");

        CliRun missing = CliRun.run(
                home, home, NO_OLLAMA, "eval", home.resolve("nothing").toString());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(missing.err()).contains("nothing").contains("does not exist");

        Files.delete(dataset.resolve("answers.jsonl"));
        CliRun noAnswers = CliRun.run(home, home, NO_OLLAMA, "eval", dataset.toString(), "--answers");
        assertThat(noAnswers.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noAnswers.err()).contains("answers.jsonl");

        CliRun badK = CliRun.run(home, home, NO_OLLAMA, "eval", dataset.toString(), "--k", "0");
        assertThat(badK.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badK.err()).contains("--k must be between 1 and 100");
    }

    private String cache() {
        return home.resolve("cache").toString();
    }
}
