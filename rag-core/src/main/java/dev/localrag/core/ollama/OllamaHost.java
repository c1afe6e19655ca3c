package dev.localrag.core.ollama;

import java.net.URI;

/**
 * Turns an {@code OLLAMA_HOST} value into a base URL the way Ollama's own clients do: a missing
 * scheme means http, a missing host means 127.0.0.1, a missing port means 11434 (80 or 443 when the
 * scheme is given explicitly), and a path is kept.
 */
public final class OllamaHost {

    public static final URI DEFAULT = URI.create("http://127.0.0.1:11434");

    private OllamaHost() {}

    public static URI parse(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT;
        }
        String s = value.strip();
        String scheme = "http";
        String defaultPort = "11434";
        String hostPort = s;
        int sep = s.indexOf("://");
        if (sep >= 0) {
            scheme = s.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
            hostPort = s.substring(sep + 3);
            if (scheme.equals("http")) {
                defaultPort = "80";
            } else if (scheme.equals("https")) {
                defaultPort = "443";
            } else {
                throw new IllegalArgumentException(
                        "OLLAMA_HOST scheme must be http or https, but was \"" + value + "\"");
            }
        }
        String path = "";
        int slash = hostPort.indexOf('/');
        if (slash >= 0) {
            path = hostPort.substring(slash);
            hostPort = hostPort.substring(0, slash);
        }
        String host;
        String port;
        String[] split = splitHostPort(hostPort);
        if (split != null) {
            host = split[0].isEmpty() ? "127.0.0.1" : split[0];
            port = split[1];
        } else {
            host = hostPort.isEmpty() ? "127.0.0.1" : stripBrackets(hostPort);
            port = defaultPort;
        }
        if (!isPort(port)) {
            port = defaultPort;
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        try {
            return URI.create(scheme + "://" + hostPart + ":" + port + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OLLAMA_HOST is not a valid host: \"" + value + "\"", e);
        }
    }

    /** Like Go's net.SplitHostPort: returns null when there is no port. */
    private static String[] splitHostPort(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            if (end < 0 || end + 1 >= hostPort.length() || hostPort.charAt(end + 1) != ':') {
                return null;
            }
            return new String[] {hostPort.substring(1, end), hostPort.substring(end + 2)};
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.indexOf(':') != colon) {
            return null; // no port, or a bare IPv6 address
        }
        return new String[] {hostPort.substring(0, colon), hostPort.substring(colon + 1)};
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isPort(String port) {
        try {
            int n = Integer.parseInt(port);
            return n >= 0 && n <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
