package dev.localrag.datasets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A retrieval test collection in the BEIR layout: {@code corpus.jsonl} ({@code _id}, {@code
 * title}, {@code text}), {@code queries.jsonl} ({@code _id}, {@code text}), {@code qrels/test.tsv}
 * (query-id, corpus-id, score, with a header line) and optionally {@code answers.jsonl} ({@code
 * _id}, {@code answers[]}).
 *
 * @param name the folder's name
 * @param dir the folder
 * @param corpusSha256 SHA-256 of {@code corpus.jsonl}, hex: identifies the corpus for index reuse
 * @param corpus the documents, in file order
 * @param queries the judged queries with non-blank text, in the order the qrels first name them
 * @param skippedEmpty judged queries skipped because their text is empty (or missing from {@code
 *     queries.jsonl})
 */
public record BeirDataset(
        String name,
        Path dir,
        String corpusSha256,
        List<CorpusDocument> corpus,
        List<JudgedQuery> queries,
        int skippedEmpty) {

    public static final String CORPUS = "corpus.jsonl";
    public static final String QUERIES = "queries.jsonl";
    public static final String QRELS = "qrels/test.tsv";
    public static final String ANSWERS = "answers.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    public BeirDataset {
        Checks.notBlank(name, "name");
        Checks.notNull(dir, "dir");
        Checks.notBlank(corpusSha256, "corpusSha256");
        corpus = List.copyOf(corpus);
        queries = List.copyOf(queries);
    }

    /**
     * Reads a BEIR folder.
     *
     * @throws ConfigurationException naming the file, line and field when something is missing or
     *     malformed
     */
    public static BeirDataset load(Path dir) {
        Checks.notNull(dir, "dir");
        Path folder = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw new ConfigurationException("Dataset folder " + folder + " does not exist. Give a folder in the BEIR"
                    + " layout: corpus.jsonl, queries.jsonl and qrels/test.tsv.");
        }
        Path corpusFile = required(folder, CORPUS);
        Path queriesFile = required(folder, QUERIES);
        Path qrelsFile = required(folder, QRELS);

        List<CorpusDocument> corpus = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        readJsonLines(corpusFile, (line, node) -> {
            String id = id(corpusFile, line, node);
            if (!seen.add(id)) {
                throw bad(corpusFile, line, "_id \"" + id + "\" appears twice; document ids must be unique");
            }
            corpus.add(new CorpusDocument(id, text(node, "title"), text(node, "text")));
        });
        if (corpus.isEmpty()) {
            throw new ConfigurationException(corpusFile + " holds no documents.");
        }

        Map<String, String> queryText = new LinkedHashMap<>();
        readJsonLines(queriesFile, (line, node) -> queryText.put(id(queriesFile, line, node), text(node, "text")));

        Map<String, List<String>> answers = new LinkedHashMap<>();
        Path answersFile = folder.resolve(ANSWERS);
        if (Files.isRegularFile(answersFile)) {
            readJsonLines(answersFile, (line, node) -> {
                JsonNode list = node.get("answers");
                if (list == null || !list.isArray()) {
                    throw bad(answersFile, line, "field \"answers\" must be an array of strings");
                }
                List<String> gold = new ArrayList<>();
                list.forEach(a -> gold.add(a.asText()));
                answers.put(id(answersFile, line, node), gold);
            });
        }

        Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);
        List<JudgedQuery> queries = new ArrayList<>();
        int skipped = 0;
        for (Map.Entry<String, Map<String, Integer>> e : qrels.entrySet()) {
            String text = queryText.getOrDefault(e.getKey(), "");
            if (text.isBlank()) {
                skipped++;
                continue;
            }
            queries.add(new JudgedQuery(e.getKey(), text, e.getValue(), answers.getOrDefault(e.getKey(), List.of())));
        }
        return new BeirDataset(folder.getFileName().toString(), folder, sha256(corpusFile), corpus, queries, skipped);
    }

    /** Whether any query has gold answers ({@code answers.jsonl}). */
    public boolean hasAnswers() {
        return queries.stream().anyMatch(q -> !q.answers().isEmpty());
    }

    /** The first {@code n} judged queries (all when there are fewer), same corpus. */
    public BeirDataset limitQueries(int n) {
        Checks.positive(n, "n");
        return new BeirDataset(
                name, dir, corpusSha256, corpus, queries.subList(0, Math.min(n, queries.size())), skippedEmpty);
    }

    /**
     * The same queries over the documents {@code keep} accepts; the corpus identity changes with the
     * kept ids so a cached index of the full corpus is never reused for a subset.
     */
    public BeirDataset filterCorpus(Predicate<CorpusDocument> keep) {
        List<CorpusDocument> kept = corpus.stream().filter(keep).toList();
        StringBuilder ids = new StringBuilder(corpusSha256);
        kept.forEach(d -> ids.append('\n').append(d.id()));
        return new BeirDataset(name, dir, sha256(ids.toString()), kept, queries, skippedEmpty);
    }

    private static Path required(Path folder, String relative) {
        Path file = folder.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("Dataset folder " + folder + " has no " + relative + ". A BEIR folder"
                    + " holds corpus.jsonl ({\"_id\",\"title\",\"text\"} per line), queries.jsonl ({\"_id\",\"text\"})"
                    + " and qrels/test.tsv (query-id, corpus-id, score, with a header line).");
        }
        return file;
    }

    @FunctionalInterface
    private interface LineHandler {
        void accept(int line, JsonNode node);
    }

    private static void readJsonLines(Path file, LineHandler handler) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int line = 0;
            while ((raw = in.readLine()) != null) {
                line++;
                if (raw.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    throw bad(file, line, "not valid JSON (" + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw bad(file, line, "expected one JSON object per line");
                }
                handler.accept(line, node);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String id(Path file, int line, JsonNode node) {
        JsonNode id = node.get("_id");
        if (id == null || id.isNull() || !id.isValueNode() || id.asText().isBlank()) {
            throw bad(file, line, "field \"_id\" is missing or empty");
        }
        return id.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String raw;
            int line = 0;
            while ((raw = in.readLine()) != null) {
                line++;
                if (raw.isBlank()) {
                    continue;
                }
                String[] cols = raw.strip().split("\t");
                if (line == 1 && cols.length >= 3 && !isInteger(cols[2])) {
                    continue; // the header: query-id corpus-id score
                }
                if (cols.length != 3) {
                    throw bad(
                            file,
                            line,
                            "expected 3 tab-separated columns (query-id, corpus-id, score), found " + cols.length);
                }
                if (!isInteger(cols[2])) {
                    throw bad(file, line, "score \"" + cols[2] + "\" is not an integer");
                }
                qrels.computeIfAbsent(cols[0], q -> new LinkedHashMap<>()).put(cols[1], Integer.parseInt(cols[2]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        if (qrels.isEmpty()) {
            throw new ConfigurationException(file + " holds no judgments.");
        }
        return qrels;
    }

    private static boolean isInteger(String s) {
        return s.matches("-?\\d+");
    }

    private static ConfigurationException bad(Path file, int line, String what) {
        return new ConfigurationException(file + " line " + line + ": " + what + ".");
    }

    static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
