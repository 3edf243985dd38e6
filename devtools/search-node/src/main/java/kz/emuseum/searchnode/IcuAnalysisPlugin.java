package kz.emuseum.searchnode;

import java.io.Reader;
import java.util.Locale;
import java.util.Map;

import com.ibm.icu.text.FilteredNormalizer2;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.Transliterator;
import com.ibm.icu.text.UnicodeSet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.icu.ICUFoldingFilter;
import org.apache.lucene.analysis.icu.ICUNormalizer2CharFilter;
import org.apache.lucene.analysis.icu.ICUNormalizer2Filter;
import org.apache.lucene.analysis.icu.ICUTransformFilter;
import org.apache.lucene.analysis.icu.segmentation.ICUTokenizer;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.analysis.AbstractCharFilterFactory;
import org.opensearch.index.analysis.AbstractTokenFilterFactory;
import org.opensearch.index.analysis.AbstractTokenizerFactory;
import org.opensearch.index.analysis.CharFilterFactory;
import org.opensearch.index.analysis.NormalizingCharFilterFactory;
import org.opensearch.index.analysis.NormalizingTokenFilterFactory;
import org.opensearch.index.analysis.TokenFilterFactory;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.Plugin;

/**
 * The ICU analysis components our index mappings use, under the names and settings of
 * OpenSearch's own analysis-icu plugin ({@code icu_folding}, {@code icu_normalizer},
 * {@code icu_tokenizer}, {@code icu_transform}).
 *
 * <p>Why this exists: {@code org.opensearch.plugin:analysis-icu-client} is not published on Maven
 * Central for 2.17+ (2.16.0 is the last 2.x), and mixing plugin and server versions breaks at
 * node construction. Lucene's ICU module at the server's own Lucene version is published, so this
 * thin registration keeps mappings portable: a production cluster with the official plugin
 * accepts the same analysis settings. Not provided: {@code icu_collation}, {@code icu_analyzer},
 * the {@code icu_collation_keyword} field and custom tokenizer rule files.
 */
public final class IcuAnalysisPlugin extends Plugin implements AnalysisPlugin {

    /** Touching ICU here makes a missing lucene-analysis-icu/icu4j fail at class load, not later. */
    private static final Normalizer2 FOLDING = ICUFoldingFilter.NORMALIZER;

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("icu_normalizer", NormalizerCharFilter::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "icu_folding", FoldingFilter::new,
            "icu_normalizer", NormalizerFilter::new,
            "icu_transform", TransformFilter::new);
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("icu_tokenizer", IcuTokenizerFactory::new);
    }

    /**
     * Applies {@code unicode_set_filter} (e.g. "[^йЙ]" keeps й from folding to и) the way the
     * official plugin does: only characters inside the set are normalised.
     */
    static Normalizer2 restrictTo(Normalizer2 normalizer, Settings settings) {
        String set = settings.get("unicode_set_filter");
        if (set == null) {
            return normalizer;
        }
        UnicodeSet unicodeSet = new UnicodeSet(set);
        unicodeSet.freeze();
        return new FilteredNormalizer2(normalizer, unicodeSet);
    }

    /**
     * {@code name} (nfc, nfkc, nfkc_cf) and {@code mode} (compose, decompose) as in the official
     * plugin; nfc + decompose is NFD, nfkc + decompose is NFKD.
     */
    static Normalizer2 configuredNormalizer(Settings settings) {
        String name = settings.get("name", "nfkc_cf");
        String mode = settings.get("mode", "compose");
        Normalizer2.Mode icuMode = switch (mode) {
            case "compose" -> Normalizer2.Mode.COMPOSE;
            case "decompose" -> Normalizer2.Mode.DECOMPOSE;
            default -> throw new IllegalArgumentException(
                "icu_normalizer: unknown mode [" + mode + "], expected compose or decompose");
        };
        return restrictTo(Normalizer2.getInstance(null, name, icuMode), settings);
    }

    static final class FoldingFilter extends AbstractTokenFilterFactory
            implements NormalizingTokenFilterFactory {
        private final Normalizer2 normalizer;

        FoldingFilter(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, name, settings);
            this.normalizer = restrictTo(FOLDING, settings);
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new ICUNormalizer2Filter(input, normalizer);
        }
    }

    static final class NormalizerFilter extends AbstractTokenFilterFactory
            implements NormalizingTokenFilterFactory {
        private final Normalizer2 normalizer;

        NormalizerFilter(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, name, settings);
            this.normalizer = configuredNormalizer(settings);
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new ICUNormalizer2Filter(input, normalizer);
        }
    }

    static final class NormalizerCharFilter extends AbstractCharFilterFactory
            implements NormalizingCharFilterFactory {
        private final Normalizer2 normalizer;

        NormalizerCharFilter(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, name);
            this.normalizer = configuredNormalizer(settings);
        }

        @Override
        public Reader create(Reader reader) {
            return new ICUNormalizer2CharFilter(reader, normalizer);
        }
    }

    /** {@code id} is any ICU transliterator id, e.g. "Any-Latin" or "Kazakh-Latin/BGN". */
    static final class TransformFilter extends AbstractTokenFilterFactory
            implements NormalizingTokenFilterFactory {
        private final Transliterator transliterator;

        TransformFilter(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, name, settings);
            String id = settings.get("id", "Null");
            String dir = settings.get("dir", "forward").toLowerCase(Locale.ROOT);
            int direction = switch (dir) {
                case "forward" -> Transliterator.FORWARD;
                case "reverse" -> Transliterator.REVERSE;
                default -> throw new IllegalArgumentException(
                    "icu_transform: unknown dir [" + dir + "], expected forward or reverse");
            };
            this.transliterator = Transliterator.getInstance(id, direction);
        }

        @Override
        public TokenStream create(TokenStream input) {
            return new ICUTransformFilter(input, transliterator);
        }
    }

    static final class IcuTokenizerFactory extends AbstractTokenizerFactory {
        IcuTokenizerFactory(IndexSettings index, Environment env, String name, Settings settings) {
            super(index, settings, name);
        }

        @Override
        public Tokenizer create() {
            return new ICUTokenizer();
        }
    }
}
