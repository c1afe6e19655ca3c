package dev.localrag.core.index;

import dev.localrag.core.Checks;
import dev.localrag.core.ConfigurationException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An index on an OpenSearch cluster: {@code opensearch://HOST:PORT[,HOST:PORT...]/NAME} (HTTP) or
 * {@code opensearch+https://...} (TLS). Requests go to any listed node and fail over to the next.
 *
 * @param nodes the nodes' base URIs, e.g. {@code http://10.0.0.5:9200}
 * @param index the index name (lower case, as OpenSearch requires)
 */
public record OpenSearchLocation(List<URI> nodes, String index) implements IndexLocation {

    static final String SCHEME = "opensearch://";
    static final String SCHEME_TLS = "opensearch+https://";
    private static final Pattern BAD_NAME = Pattern.compile("[\\\\/*?\"<>| ,#:A-Z]");

    public OpenSearchLocation {
        Checks.notEmpty(nodes, "nodes");
        nodes = List.copyOf(nodes);
        checkName(index);
    }

    static boolean isUrl(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return t.startsWith(SCHEME) || t.startsWith(SCHEME_TLS);
    }

    /** Whether requests use TLS. */
    public boolean https() {
        return nodes.getFirst().getScheme().equals("https");
    }

    /**
     * Reads {@code opensearch[+https]://HOST:PORT[,HOST:PORT...]/NAME}.
     *
     * @throws ConfigurationException naming the URL and what is wrong with it
     */
    public static OpenSearchLocation parse(String url) {
        Checks.notNull(url, "url");
        String text = url.strip();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean tls = lower.startsWith(SCHEME_TLS);
        if (!tls && !lower.startsWith(SCHEME)) {
            throw bad(url, "it must start with " + SCHEME + " or " + SCHEME_TLS);
        }
        String rest = text.substring(tls ? SCHEME_TLS.length() : SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw bad(url, "it names no index (add /NAME after the hosts)");
        }
        String name = rest.substring(slash + 1);
        List<URI> nodes = new ArrayList<>();
        for (String host : rest.substring(0, slash).split(",")) {
            String h = host.strip();
            if (h.isEmpty()) {
                throw bad(url, "a host is empty");
            }
            URI uri;
            try {
                uri = URI.create((tls ? "https://" : "http://") + h);
            } catch (IllegalArgumentException e) {
                throw bad(url, "host \"" + h + "\" is not HOST:PORT");
            }
            if (uri.getHost() == null
                    || uri.getPort() < 0
                    || (uri.getPath() != null && !uri.getPath().isEmpty())) {
                throw bad(url, "host \"" + h + "\" is not HOST:PORT");
            }
            nodes.add(uri);
        }
        try {
            return new OpenSearchLocation(nodes, name);
        } catch (IllegalArgumentException e) {
            throw bad(url, e.getMessage());
        }
    }

    private static void checkName(String name) {
        Checks.notBlank(name, "index name");
        if (BAD_NAME.matcher(name).find()
                || name.startsWith("_")
                || name.startsWith("-")
                || name.startsWith("+")
                || name.equals(".")
                || name.equals("..")
                || name.length() > 255) {
            throw new IllegalArgumentException("index name \"" + name + "\" is not valid in OpenSearch: use lower"
                    + " case letters, digits, '-', '_' or '.', not starting with '_', '-' or '+'");
        }
    }

    private static ConfigurationException bad(String url, String why) {
        return new ConfigurationException("Bad OpenSearch index URL \"" + url + "\": " + why + ". Expected " + SCHEME
                + "HOST:PORT[,HOST:PORT...]/NAME or " + SCHEME_TLS + "HOST:PORT/NAME.");
    }

    /** The URL form, e.g. {@code opensearch://a:9200,b:9200/docs}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(https() ? SCHEME_TLS : SCHEME);
        for (int i = 0; i < nodes.size(); i++) {
            out.append(i == 0 ? "" : ",")
                    .append(nodes.get(i).getHost())
                    .append(':')
                    .append(nodes.get(i).getPort());
        }
        return out.append('/').append(index).toString();
    }
}
