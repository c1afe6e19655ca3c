package dev.localrag.core.chunk;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.localrag.core.config.ChunkingSettings;
import java.util.List;

/**
 * Splits at paragraph, then line, then sentence, then word boundaries (LangChain4j's recursive
 * splitter), sizing chunks in BERT word-piece tokens, with overlap between neighbours.
 */
public final class RecursiveChunker implements Chunker {

    private final ChunkingSettings settings;
    private final DocumentSplitter splitter;

    public RecursiveChunker(ChunkingSettings settings) {
        this(settings, new HuggingFaceTokenCountEstimator());
    }

    public RecursiveChunker(ChunkingSettings settings, TokenCountEstimator tokens) {
        this.settings = settings;
        this.splitter = DocumentSplitters.recursive(settings.maxTokens(), settings.overlapTokens(), tokens);
    }

    @Override
    public List<String> split(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return splitter.split(Document.from(text)).stream()
                .map(TextSegment::text)
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    @Override
    public String describe() {
        return "recursive:" + settings.maxTokens() + "/" + settings.overlapTokens();
    }
}
