package dev.localrag.core.chunk;

import dev.langchain4j.model.TokenCountEstimator;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenCountEstimator;
import dev.localrag.core.Checks;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.text.CjkText;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits lightly marked-up text along its structure: Markdown headings ({@code #}..{@code ######})
 * open sections whose path becomes each chunk's breadcrumb ({@code faq.mdx › Networking › Changing
 * the port}), stored and embedded as the chunk's first line. A chunk never spans two sections;
 * inside a section blocks (paragraphs, fenced code, tables) are packed up to the token budget, code
 * blocks and tables are kept whole when they fit, and blocks too large for one chunk are split at
 * sentence boundaries (Western and Chinese/Japanese punctuation), then lines, then words. Sizes are
 * counted in tokens of the embedder's word-piece tokenizer and include the breadcrumb. Neighbouring
 * chunks of one section share up to {@code overlapTokens} tokens of trailing sentences.
 *
 * <p>A form feed ({@code \f}) starts a new page: chunks then carry the pages they come from, and
 * the breadcrumb ends with {@code p. 3} or {@code pp. 3–4}.
 */
public final class StructuredChunker implements Chunker {

    /** Separator between breadcrumb levels. */
    public static final String SEPARATOR = " › ";

    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})[ \\t]+(.+?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+)");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\|.*");

    private final ChunkingSettings settings;
    private final Supplier<TokenCountEstimator> tokenizer;
    private volatile TokenCountEstimator tokens;

    /**
     * With the BERT tokenizer LangChain4j's in-process models use, loaded on the first text to
     * split (its native library takes a while: a search that never chunks does not pay for it).
     */
    public StructuredChunker(ChunkingSettings settings) {
        this(settings, HuggingFaceTokenCountEstimator::new);
    }

    public StructuredChunker(ChunkingSettings settings, TokenCountEstimator tokens) {
        this(settings, constant(Checks.notNull(tokens, "tokens")));
    }

    private StructuredChunker(ChunkingSettings settings, Supplier<TokenCountEstimator> tokenizer) {
        this.settings = Checks.notNull(settings, "settings");
        this.tokenizer = tokenizer;
    }

    private static Supplier<TokenCountEstimator> constant(TokenCountEstimator tokens) {
        return () -> tokens;
    }

    private TokenCountEstimator tokens() {
        TokenCountEstimator t = tokens;
        if (t == null) {
            synchronized (this) { // chunking threads share one chunker: load the tokenizer once
                t = tokens;
                if (t == null) {
                    t = tokenizer.get();
                    tokens = t;
                }
            }
        }
        return t;
    }

    @Override
    public List<String> split(String text) {
        return chunk("", text).stream().map(Chunk::text).toList();
    }

    @Override
    public List<Chunk> chunk(String root, String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        root = root == null ? "" : root.strip();
        List<Chunk> out = new ArrayList<>();
        for (Section section : sections(text)) {
            packSection(root, section, out);
        }
        if (out.isEmpty()) { // only headings, no body: the headings are the content
            packSection(root, new Section(List.of(), List.of(new Block(Kind.PARAGRAPH, text.strip(), 0, 0))), out);
        }
        return out;
    }

    @Override
    public String describe() {
        return "structured:" + settings.maxTokens() + "/" + settings.overlapTokens();
    }

    // ---- parsing into sections of blocks ----

    private enum Kind {
        PARAGRAPH,
        CODE,
        TABLE
    }

    private record Block(Kind kind, String text, int firstPage, int lastPage) {}

    private record Section(List<String> path, List<Block> blocks) {}

    private static List<Section> sections(String text) {
        List<Section> sections = new ArrayList<>();
        List<String> path = new ArrayList<>(); // heading texts, index = level - 1, "" for skipped levels
        List<Block> blocks = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Kind currentKind = null;
        int page = 0;
        int blockStartPage = 0;
        String fence = null;
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        for (String raw : lines) {
            String line = raw;
            int ff;
            while ((ff = line.indexOf('\f')) >= 0) {
                // text before the form feed belongs to the old page, the rest to the new one
                String before = line.substring(0, ff);
                if (!before.isBlank()) {
                    if (currentKind == null) {
                        currentKind = Kind.PARAGRAPH;
                        blockStartPage = page;
                    }
                    appendLine(current, before);
                }
                page++;
                line = line.substring(ff + 1);
            }
            if (fence != null) { // inside a fenced code block: everything verbatim until the closing fence
                appendLine(current, line);
                if (line.strip().startsWith(fence)) {
                    fence = null;
                    blocks.add(new Block(Kind.CODE, current.toString(), blockStartPage, page));
                    current.setLength(0);
                    currentKind = null;
                }
                continue;
            }
            Matcher fm = FENCE.matcher(line);
            Matcher hm = HEADING.matcher(line);
            if (fm.find()) {
                flush(blocks, current, currentKind, blockStartPage, page);
                fence = fm.group(1);
                currentKind = Kind.CODE;
                blockStartPage = page;
                appendLine(current, line);
            } else if (hm.matches()) {
                flush(blocks, current, currentKind, blockStartPage, page);
                currentKind = null;
                if (!blocks.isEmpty()) {
                    sections.add(new Section(List.copyOf(path), List.copyOf(blocks)));
                    blocks.clear();
                }
                int level = hm.group(1).length();
                while (path.size() >= level) {
                    path.removeLast();
                }
                while (path.size() < level - 1) {
                    path.add("");
                }
                path.add(hm.group(2).strip());
            } else if (line.isBlank()) {
                flush(blocks, current, currentKind, blockStartPage, page);
                currentKind = null;
            } else {
                Kind kind = TABLE_ROW.matcher(line).matches() ? Kind.TABLE : Kind.PARAGRAPH;
                if (currentKind != null && currentKind != kind) {
                    flush(blocks, current, currentKind, blockStartPage, page);
                    currentKind = null;
                }
                if (currentKind == null) {
                    currentKind = kind;
                    blockStartPage = page;
                }
                appendLine(current, line);
            }
        }
        if (fence != null) { // unclosed fence: keep what there is
            currentKind = Kind.CODE;
        }
        flush(blocks, current, currentKind, blockStartPage, page);
        if (!blocks.isEmpty()) {
            sections.add(new Section(List.copyOf(path), List.copyOf(blocks)));
        }
        return sections;
    }

    private static void appendLine(StringBuilder current, String line) {
        if (!current.isEmpty()) {
            current.append('\n');
        }
        current.append(line);
    }

    private static void flush(List<Block> blocks, StringBuilder current, Kind kind, int firstPage, int lastPage) {
        if (kind != null && !current.toString().isBlank()) {
            String text = kind == Kind.CODE
                    ? stripTrailing(current.toString())
                    : current.toString().strip();
            blocks.add(new Block(kind, text, Math.max(firstPage, 0), Math.max(lastPage, firstPage)));
        }
        current.setLength(0);
    }

    private static String stripTrailing(String s) {
        return s.stripTrailing();
    }

    // ---- packing a section into chunks ----

    /** A piece of a section that is never split further: a whole block, or a sentence/line/word run. */
    private record Unit(String text, int tokens, boolean sentence, boolean startsBlock, int firstPage, int lastPage) {}

    private void packSection(String root, Section section, List<Chunk> out) {
        String headings = breadcrumbPath(root, section.path());
        // pages are known only after packing; reserve room for a page suffix when the text has pages
        boolean paged = section.blocks().stream().anyMatch(b -> b.lastPage() > 0);
        int budget = settings.maxTokens() - crumbTokens(headings, paged);
        if (budget < 16) { // absurdly deep headings: drop them rather than overflow
            headings = root;
            budget = Math.max(16, settings.maxTokens() - crumbTokens(headings, paged));
        }
        List<Unit> units = new ArrayList<>();
        for (Block block : section.blocks()) {
            units(block, budget, units);
        }
        List<Unit> current = new ArrayList<>();
        int currentTokens = 0;
        boolean currentHasNew = false;
        for (Unit unit : units) {
            int joined = currentTokens + unit.tokens() + (current.isEmpty() ? 0 : 1);
            if (!current.isEmpty() && joined > budget) {
                if (currentHasNew) {
                    out.add(chunk(headings, paged, current));
                }
                current = overlap(current, budget - unit.tokens() - 1);
                currentTokens = current.stream().mapToInt(u -> u.tokens() + 1).sum();
                currentHasNew = false;
            }
            currentTokens += unit.tokens() + (current.isEmpty() ? 0 : 1);
            current.add(unit);
            currentHasNew = true;
        }
        if (currentHasNew) {
            out.add(chunk(headings, paged, current));
        }
    }

    /** Tokens of the breadcrumb line and the blank line after it (page suffix reserved at its longest). */
    private int crumbTokens(String headings, boolean paged) {
        String crumb = paged ? (headings.isEmpty() ? "" : headings + SEPARATOR) + "pp. 0000–0000" : headings;
        return crumb.isEmpty() ? 0 : count(crumb) + 2;
    }

    /** Trailing sentences of the chunk just emitted, up to the overlap and what still fits. */
    private List<Unit> overlap(List<Unit> previous, int room) {
        int limit = Math.min(settings.overlapTokens(), room);
        List<Unit> tail = new ArrayList<>();
        int total = 0;
        for (int i = previous.size() - 1; i >= 0; i--) {
            Unit u = previous.get(i);
            if (!u.sentence() || total + u.tokens() + 1 > limit) {
                break;
            }
            tail.addFirst(u);
            total += u.tokens() + 1;
            if (u.startsBlock()) {
                break;
            }
        }
        return tail;
    }

    private void units(Block block, int budget, List<Unit> out) {
        int blockTokens = count(block.text());
        if (blockTokens <= budget) {
            out.add(new Unit(
                    block.text(),
                    blockTokens,
                    block.kind() == Kind.PARAGRAPH && isSingleSentence(block.text()),
                    true,
                    block.firstPage(),
                    block.lastPage()));
            return;
        }
        List<String> pieces = block.kind() == Kind.PARAGRAPH ? sentences(block.text()) : lines(block.text());
        boolean first = true;
        for (String piece : pieces) {
            int n = count(piece);
            if (n <= budget) {
                out.add(new Unit(piece, n, block.kind() == Kind.PARAGRAPH, first, block.firstPage(), block.lastPage()));
            } else {
                for (String part : words(piece, budget)) {
                    out.add(new Unit(part, count(part), false, first, block.firstPage(), block.lastPage()));
                    first = false;
                }
            }
            first = false;
        }
    }

    private Chunk chunk(String headings, boolean paged, List<Unit> units) {
        StringBuilder body = new StringBuilder();
        Unit previous = null;
        int firstPage = Integer.MAX_VALUE;
        int lastPage = 0;
        for (Unit u : units) {
            if (previous != null) {
                body.append(u.startsBlock() ? "\n\n" : joiner(previous.text(), u.text()));
            }
            body.append(u.text());
            previous = u;
            firstPage = Math.min(firstPage, u.firstPage());
            lastPage = Math.max(lastPage, u.lastPage());
        }
        if (!paged) {
            firstPage = 0;
            lastPage = 0;
        } else {
            firstPage = Math.max(1, firstPage);
            lastPage = Math.max(firstPage, lastPage);
        }
        String crumb = headings;
        if (paged) {
            String pages = firstPage == lastPage ? "p. " + firstPage : "pp. " + firstPage + "–" + lastPage;
            crumb = crumb.isEmpty() ? pages : crumb + SEPARATOR + pages;
        }
        String text = crumb.isEmpty() ? body.toString() : crumb + "\n\n" + body;
        return new Chunk(text, crumb, firstPage, lastPage);
    }

    private static String joiner(String before, String after) {
        if (before.isEmpty() || after.isEmpty()) {
            return "";
        }
        char last = before.charAt(before.length() - 1);
        char next = after.charAt(0);
        return CjkText.joinsWithoutSpace(last) || CjkText.joinsWithoutSpace(next) ? "" : " ";
    }

    /**
     * The root, then the headings; a first heading that only repeats the root (the H1 a title was
     * read from) is left out.
     */
    static String breadcrumbPath(String root, List<String> headings) {
        List<String> parts = new ArrayList<>();
        if (!root.isEmpty()) {
            parts.add(root);
        }
        for (String h : headings) {
            if (!h.isEmpty() && !(parts.size() == 1 && h.strip().equalsIgnoreCase(root))) {
                parts.add(h);
            }
        }
        return String.join(SEPARATOR, parts);
    }

    // ---- splitting ----

    /** Sentences, ending at . ! ? (followed by a space) or at 。！？；… (no space needed). */
    static List<String> sentences(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            boolean end;
            if (c == '。' || c == '！' || c == '？' || c == '；' || c == '…') {
                end = true;
            } else if (c == '.' || c == '!' || c == '?') {
                end = i + 1 >= n || Character.isWhitespace(text.charAt(i + 1));
            } else {
                end = c == '\n' && i + 1 < n && text.charAt(i + 1) == '\n';
            }
            if (end) {
                int stop = i + 1;
                while (stop < n && (text.charAt(stop) == '”' || text.charAt(stop) == '」' || text.charAt(stop) == '"')) {
                    stop++;
                }
                String s = text.substring(start, stop).strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
                start = stop;
                i = stop - 1;
            }
        }
        String rest = text.substring(start).strip();
        if (!rest.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    private static boolean isSingleSentence(String text) {
        return sentences(text).size() == 1;
    }

    private static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Runs of words (or of characters, for text without spaces) that each fit the budget. */
    private List<String> words(String text, int budget) {
        List<String> atoms = new ArrayList<>();
        for (String w : text.split("\\s+")) {
            if (w.isEmpty()) {
                continue;
            }
            if (count(w) <= budget) {
                atoms.add(w);
            } else { // one enormous "word" (CJK text, base64...): cut by code points
                int step = Math.max(1, budget / 2);
                int[] cps = w.codePoints().toArray();
                for (int i = 0; i < cps.length; i += step) {
                    atoms.add(new String(cps, i, Math.min(step, cps.length - i)));
                }
            }
        }
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int currentTokens = 0;
        for (String atom : atoms) {
            int n = count(atom);
            if (!current.isEmpty() && currentTokens + n > budget) {
                out.add(current.toString());
                current.setLength(0);
                currentTokens = 0;
            }
            if (!current.isEmpty()) {
                current.append(joiner(current.toString(), atom));
            }
            current.append(atom);
            currentTokens += n;
        }
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
        return out;
    }

    private int count(String text) {
        return text.isEmpty() ? 0 : tokens().estimateTokenCountInText(text);
    }
}
