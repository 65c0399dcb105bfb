package io.github.superresolve.exchange;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.superresolve.io.BoundedRead;
import io.github.superresolve.io.Printable;
import io.github.superresolve.nn.ModelException;
import org.yaml.snakeyaml.LoaderOptions;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A model description ({@code rdf.yaml}) from a stranger, parsed within bounds: at most
 * {@link #MAX_BYTES} and lines of at most {@link #MAX_LINE} characters, checked before the parser
 * starts (SnakeYAML's scanner slows down on very long lines: a 10 MB value took 27 s), then parsed
 * with limits on nesting, string and number lengths, tokens and code points. Tags ({@code !!java...})
 * instantiate nothing and aliases are not expanded (Jackson reads an alias as its anchor's name), so
 * a description's size bounds the work of reading it. Keys given twice are refused, as duplicated
 * zip entries are: readers disagree on which one counts.
 */
final class RdfYaml {

    /** Largest description read: real ones are a few KB. */
    static final int MAX_BYTES = 1 << 20;
    /** Longest line: real descriptions' longest lines are a few hundred characters. */
    static final int MAX_LINE = 64 << 10;
    /** Deepest nesting of mappings and lists: a 0.5 description nests about 7 deep. */
    static final int MAX_DEPTH = 64;

    private static final ObjectMapper MAPPER = mapper();

    private RdfYaml() {
    }

    private static ObjectMapper mapper() {
        LoaderOptions lo = new LoaderOptions();
        lo.setCodePointLimit(MAX_BYTES + 1024);
        lo.setNestingDepthLimit(MAX_DEPTH);
        lo.setMaxAliasesForCollections(50);
        lo.setAllowRecursiveKeys(false);
        YAMLFactory f = YAMLFactory.builder().loaderOptions(lo)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_BYTES)
                        .maxNestingDepth(MAX_DEPTH)
                        .maxStringLength(MAX_BYTES)
                        .maxNameLength(MAX_LINE)
                        .maxNumberLength(100)
                        .maxTokenCount(1_000_000)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        return new ObjectMapper(f);
    }

    /**
     * The description's top mapping.
     *
     * @param label how messages name the description (its path, or "ZIP's rdf.yaml"), already escaped
     * @throws ModelException one sentence naming the description when it is too large, has too long a
     *                        line, is not YAML, or holds no mapping
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(byte[] bytes, String label) {
        if (bytes.length > MAX_BYTES) throw tooLarge(label);
        String yaml = new String(bytes, StandardCharsets.UTF_8);
        int line = 1, start = 0;
        for (int i = 0; i <= yaml.length(); i++) {
            if (i == yaml.length() || yaml.charAt(i) == '\n') {
                if (i - start > MAX_LINE)
                    throw new ModelException(label + " has a line of more than " + (MAX_LINE >> 10) + " K characters (line " + line
                            + "), which no model description needs: it is not a bioimage.io package Super-Resolve reads.");
                line++;
                start = i + 1;
            }
        }
        yaml = quoteNonFinite(yaml);
        Object o;
        try {
            o = MAPPER.readValue(yaml, Object.class);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new ModelException(label + " is not valid YAML" + where + ": " + reason(e) + ".");
        } catch (RuntimeException | StackOverflowError e) {
            // SnakeYAML's own limits (code points, nesting) and anything else the parser throws
            throw new ModelException(label + " cannot be read as YAML within Super-Resolve's limits (" + (MAX_BYTES >> 20) + " MB, nesting "
                    + MAX_DEPTH + " deep): it is not a bioimage.io package Super-Resolve reads.");
        }
        if (!(o instanceof Map)) throw new ModelException(label + " is not a model description (it holds no mapping).");
        return (Map<String, Object>) o;
    }

    /** YAML's plain scalars for infinity and not-a-number, as a value (after ':', '-', '[' or ','). */
    private static final java.util.regex.Pattern NON_FINITE = java.util.regex.Pattern.compile(
            "(?m)((?:^|[\\[,:])[ \\t]*(?:-[ \\t]+)?)([-+]?\\.(?:inf|Inf|INF|nan|NaN|NAN))(?=[ \\t]*(?:[,\\]}#]|$))");

    /**
     * The description with YAML's infinity and not-a-number ({@code -.inf}, {@code .inf}, {@code .nan})
     * quoted: Jackson's YAML reader refuses them as malformed numbers, and 0.4 packages (deepImageJ's
     * era) write {@code data_range: [-.inf, .inf]}. They are read as text; no value Super-Resolve reads
     * may be infinite, so such a value where a number is needed is still refused by name.
     */
    static String quoteNonFinite(String yaml) {
        return NON_FINITE.matcher(yaml).replaceAll("$1'$2'");
    }

    /** The sentence for a description larger than {@link #MAX_BYTES}. */
    static ModelException tooLarge(String label) {
        return new ModelException(label + " is larger than " + BoundedRead.human(MAX_BYTES)
                + ", more than any model description holds: it is not a bioimage.io package Super-Resolve reads.");
    }

    /** The parser's own reason, on one line, without its hints at Jackson's API, control characters escaped. */
    private static String reason(JacksonException e) {
        String m = String.valueOf(e.getOriginalMessage());
        int nl = m.indexOf('\n');
        if (nl >= 0) m = m.substring(0, nl);
        m = m.replaceAll(",\\s*from `StreamReadConstraints[^`]*`", "").replaceAll("\\s*\\(for Object starting at[^)]*\\)", "").strip();
        if (m.endsWith(".")) m = m.substring(0, m.length() - 1);
        if (m.length() > 200) m = m.substring(0, 200) + "...";
        return Printable.escape(m);
    }
}
