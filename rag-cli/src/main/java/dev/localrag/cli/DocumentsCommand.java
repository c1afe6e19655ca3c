package dev.localrag.cli;

import dev.localrag.core.ConfigurationException;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.index.SearchHit;
import dev.localrag.core.index.SourceDocument;
import dev.localrag.core.index.VectorIndex;
import dev.localrag.runtime.AuditLog;
import dev.localrag.runtime.RagRuntime;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
        name = "documents",
        mixinStandardHelpOptions = true,
        description = {"List, inspect and remove the documents in the index (no model is loaded)."},
        subcommands = {
            DocumentsCommand.ListDocuments.class,
            DocumentsCommand.ShowDocument.class,
            DocumentsCommand.RemoveDocuments.class
        })
final class DocumentsCommand implements Callable<Integer> {

    @ParentCommand
    RagCommand parent;

    @Mixin
    CommonOptions common;

    @Option(names = "--json", description = "As `documents list --json`.")
    boolean json;

    /** One document in --json output; field names are a public contract. */
    record JsonDocument(String path, String title, String mimeType, int chunks, long size, String modified) {}

    record JsonDocuments(List<JsonDocument> documents) {}

    record JsonChunk(int chunk, String text) {}

    record JsonShow(JsonDocument document, Map<String, Object> metadata, List<JsonChunk> chunks) {}

    record JsonRemoved(List<String> removed) {}

    /** {@code rag documents} alone lists. */
    @Override
    public Integer call() {
        return list(parent.environment(), common, json);
    }

    static int list(CliEnvironment environment, CommonOptions common, boolean json) {
        RagConfig config = common.resolve(environment);
        List<JsonDocument> rows = new ArrayList<>();
        try (RagRuntime rag = RagRuntime.builder(config).readOnly().build()) {
            VectorIndex index = rag.index();
            for (SourceDocument d : new TreeMap<>(index.documents()).values()) {
                rows.add(row(d, index.chunkCount(d.id())));
            }
        }
        PrintWriter out = environment.out();
        if (json) {
            out.println(Json.write(new JsonDocuments(rows)));
            return ExitCode.OK;
        }
        if (rows.isEmpty()) {
            out.println("No documents in " + config.index() + " -- add some with `rag ingest PATH`.");
            return ExitCode.OK;
        }
        for (JsonDocument d : rows) {
            out.printf(
                    Locale.ROOT,
                    "%-60s %5d %s  %9s  %s%n",
                    environment.display(d.path()),
                    d.chunks(),
                    d.chunks() == 1 ? "chunk " : "chunks",
                    DoctorCommand.humanBytes(d.size()),
                    d.modified());
        }
        out.println(rows.size() + (rows.size() == 1 ? " document" : " documents") + " in " + config.index());
        return ExitCode.OK;
    }

    private static JsonDocument row(SourceDocument d, int chunks) {
        return new JsonDocument(
                d.id(),
                d.title(),
                d.mimeType(),
                chunks,
                d.size(),
                Instant.ofEpochMilli(d.modifiedMillis()).toString());
    }

    /**
     * The document id for what the user typed: ids of files are absolute paths, so a relative path
     * is taken from the working directory; else the text as it is (a URI, say).
     */
    static String find(Map<String, SourceDocument> documents, CliEnvironment environment, String given) {
        if (documents.containsKey(given)) {
            return given;
        }
        try {
            String absolute = environment.cwd().resolve(given).normalize().toString();
            if (documents.containsKey(absolute)) {
                return absolute;
            }
        } catch (RuntimeException notAPath) {
            // falls through to the error below
        }
        throw new ConfigurationException(
                "No document '" + given + "' in the index; `rag documents list` shows" + " the paths it holds.");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Paths, chunks, size and modified time.")
    static final class ListDocuments implements Callable<Integer> {
        @ParentCommand
        DocumentsCommand documents;

        @Mixin
        CommonOptions common;

        @Option(
                names = "--json",
                description = "Print {\"documents\":[{path, title, mimeType, chunks, size, modified}, ...]}.")
        boolean json;

        @Override
        public Integer call() {
            return list(documents.parent.environment(), common, json);
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "A document's metadata and its chunks, in order.")
    static final class ShowDocument implements Callable<Integer> {
        @ParentCommand
        DocumentsCommand documents;

        @Mixin
        CommonOptions common;

        @Parameters(paramLabel = "PATH", description = "The document (its path as `documents list` shows it).")
        String path;

        @Option(names = "--json", description = "Print {document:{...}, metadata:{...}, chunks:[{chunk, text}]}.")
        boolean json;

        @Override
        public Integer call() {
            CliEnvironment environment = documents.parent.environment();
            RagConfig config = common.resolve(environment);
            JsonShow show;
            try (RagRuntime rag = RagRuntime.builder(config).readOnly().build()) {
                VectorIndex index = rag.index();
                Map<String, SourceDocument> all = index.documents();
                SourceDocument d = all.get(find(all, environment, path));
                List<JsonChunk> chunks = new ArrayList<>();
                for (SearchHit h : index.chunks(d.id())) {
                    chunks.add(new JsonChunk(h.ordinal(), h.text()));
                }
                show = new JsonShow(row(d, chunks.size()), d.metadata(), chunks);
            }
            PrintWriter out = environment.out();
            if (json) {
                out.println(Json.write(show));
                return ExitCode.OK;
            }
            JsonDocument d = show.document();
            out.println("Path:     " + d.path());
            out.println("Title:    " + d.title());
            out.println("Type:     " + d.mimeType());
            out.println("Size:     " + DoctorCommand.humanBytes(d.size()));
            out.println("Modified: " + d.modified());
            show.metadata().forEach((k, v) -> out.println("  " + k + ": " + v));
            out.println("Chunks:   " + d.chunks());
            for (JsonChunk c : show.chunks()) {
                out.println("  [" + c.chunk() + "] " + SearchCommand.preview(c.text()));
            }
            return ExitCode.OK;
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = {
                "Remove documents (and their chunks) from the index. The files are not touched; a later"
                        + " `rag ingest` of their folder adds them again (use --exclude to keep them out)."
            })
    static final class RemoveDocuments implements Callable<Integer> {
        @ParentCommand
        DocumentsCommand documents;

        @Mixin
        CommonOptions common;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "Documents, as `documents list` shows them.")
        List<String> paths;

        @Option(names = "--json", description = "Print {\"removed\":[path, ...]}.")
        boolean json;

        @Override
        public Integer call() {
            CliEnvironment environment = documents.parent.environment();
            RagConfig config = common.resolve(environment);
            List<String> removed = new ArrayList<>();
            // the index must exist: the read-only open reports a missing one with its location
            RagRuntime.builder(config).readOnly().build().close();
            try (RagRuntime rag = RagRuntime.builder(config).build()) {
                VectorIndex index = rag.index();
                Map<String, SourceDocument> all = index.documents();
                List<String> ids = new ArrayList<>();
                for (String p : paths) {
                    ids.add(find(all, environment, p)); // all or nothing: an unknown path removes none
                }
                AuditLog audit = rag.audit();
                audit.checkWritable(); // a removal that cannot be recorded is refused
                String outcome = "failed";
                try {
                    for (String id : ids) {
                        index.deleteDocument(id);
                        removed.add(id);
                    }
                    index.commit();
                    outcome = "succeeded";
                } finally {
                    audit.append(new AuditLog.Entry(
                            AuditLog.osUser(),
                            "local",
                            "rag documents remove",
                            null,
                            config.index().toString(),
                            ids,
                            outcome,
                            Map.of("removed", removed.size())));
                }
            }
            PrintWriter out = environment.out();
            if (json) {
                out.println(Json.write(new JsonRemoved(removed)));
            } else {
                for (String id : removed) {
                    out.println("Removed " + environment.display(id));
                }
            }
            return ExitCode.OK;
        }
    }
}
