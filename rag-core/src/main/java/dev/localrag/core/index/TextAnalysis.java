package dev.localrag.core.index;

import dev.localrag.core.ConfigurationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.KeywordMarkerFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * How the BM25 fields (chunk text and title) are analysed. Chosen when an index is created and
 * recorded in its {@link IndexManifest}: queries must be analysed exactly like the indexed text.
 *
 * <p>{@code StandardAnalyzer} alone cuts Chinese and Japanese into single characters, so a query
 * for 上海 would match any text with 上 and 海 anywhere. {@link #CJK} and {@link #AUTO} index
 * overlapping bigrams of CJK runs instead (Lucene's {@link CJKBigramFilter}).
 */
public enum TextAnalysis {
    /** Lucene's {@link EnglishAnalyzer}: stop words, possessives, Porter stemming. */
    ENGLISH("english"),
    /** Lucene's {@link CJKAnalyzer}: width folding, CJK bigrams, English stop words; no stemming. */
    CJK("cjk"),
    /**
     * Detected per token, so a chunk may mix scripts: runs of Han, Hiragana, Katakana or Hangul
     * become bigrams, other words are analysed as {@link #ENGLISH} (stop words, Porter stemming).
     * The default for new indexes.
     */
    AUTO("auto");

    private final String id;

    TextAnalysis(String id) {
        this.id = id;
    }

    /** The name recorded in the manifest and accepted by {@link #parse(String)}. */
    public String id() {
        return id;
    }

    /** A new analyzer; each index owns one for its life. */
    public Analyzer newAnalyzer() {
        return switch (this) {
            case ENGLISH -> new EnglishAnalyzer();
            case CJK -> new CJKAnalyzer();
            case AUTO -> new ScriptAwareAnalyzer();
        };
    }

    public static TextAnalysis parse(String value) {
        return find(value)
                .orElseThrow(() -> new ConfigurationException(
                        "Unknown text analysis \"" + value + "\". Use one of " + ids() + "."));
    }

    /** Like {@link #parse(String)}, the error naming the setting {@code name} (a config key or flag). */
    public static TextAnalysis parse(String value, String name) {
        return find(value)
                .orElseThrow(() ->
                        new ConfigurationException(name + " must be one of " + ids() + ", but was \"" + value + "\""));
    }

    private static Optional<TextAnalysis> find(String value) {
        String v = value == null ? "" : value.strip();
        return Arrays.stream(values()).filter(a -> a.id.equalsIgnoreCase(v)).findFirst();
    }

    private static String ids() {
        return Arrays.stream(values()).map(TextAnalysis::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }

    /** StandardTokenizer, then CJK bigrams for CJK tokens and English stemming for the others. */
    private static final class ScriptAwareAnalyzer extends Analyzer {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            Tokenizer source = new StandardTokenizer();
            TokenStream result = new CJKWidthFilter(source);
            result = new LowerCaseFilter(result);
            result = new CJKBigramFilter(result);
            result = new EnglishPossessiveFilter(result);
            result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
            result = new CjkTokensAreKeywords(result);
            result = new PorterStemFilter(result);
            return new TokenStreamComponents(source, result);
        }

        @Override
        protected TokenStream normalize(String fieldName, TokenStream in) {
            return new LowerCaseFilter(new CJKWidthFilter(in));
        }
    }

    /** Keeps the stemmer off CJK bigrams and unigrams. */
    private static final class CjkTokensAreKeywords extends KeywordMarkerFilter {
        private final TypeAttribute type = addAttribute(TypeAttribute.class);

        CjkTokensAreKeywords(TokenStream in) {
            super(in);
        }

        @Override
        protected boolean isKeyword() {
            String t = type.type();
            return CJKBigramFilter.DOUBLE_TYPE.equals(t) || CJKBigramFilter.SINGLE_TYPE.equals(t);
        }
    }
}
