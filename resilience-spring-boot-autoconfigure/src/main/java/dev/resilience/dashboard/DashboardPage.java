package dev.resilience.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The dashboard's one HTML file (its style and script inline, nothing fetched from anywhere but the stream), read
 * once from the jar, with the streams' addresses written in relative to the page, so that it works behind any
 * context path, servlet path or proxy prefix. It is answered with a Content-Security-Policy that allows exactly its
 * own inline style and script (by their hashes) and connections to this server, nothing else.
 */
public final class DashboardPage {

    /** The path of the live stream. */
    public static final String STREAM_PATH = "/resilience/stream";
    /** The path of the stream in Hystrix's format. */
    public static final String HYSTRIX_STREAM_PATH = "/resilience/hystrix.stream";

    private static final String RESOURCE = "dashboard.html";
    /** Where the page is in the jar. */
    static final String RESOURCE_PATH = "dev/resilience/dashboard/" + RESOURCE;
    private static final String STREAM_PLACEHOLDER = "__RESILIENCE_STREAM__";

    private final String html;
    private final String contentSecurityPolicy;

    /** @param pagePath where the page is served, {@code /resilience/dashboard} by default */
    public DashboardPage(String pagePath) {
        String template = read();
        this.html = template.replace(STREAM_PLACEHOLDER, relative(pagePath, STREAM_PATH));
        this.contentSecurityPolicy = "default-src 'none'; script-src " + hashes(html, "script") + "; style-src "
                + hashes(html, "style") + "; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
                + "form-action 'none'; frame-ancestors 'self'";
    }

    /** The page. */
    public String html() {
        return html;
    }

    /** The value of the page's {@code Content-Security-Policy} header. */
    public String contentSecurityPolicy() {
        return contentSecurityPolicy;
    }

    /**
     * The address of {@code target} relative to the page at {@code pagePath}: {@code stream} from
     * {@code /resilience/dashboard}, {@code ../resilience/stream} from {@code /ops/live}.
     */
    static String relative(String pagePath, String target) {
        List<String> from = segments(pagePath);
        if (!pagePath.endsWith("/") && !from.isEmpty()) {
            from.remove(from.size() - 1); // the page itself: its links start from its folder
        }
        List<String> to = segments(target);
        int common = 0;
        while (common < from.size() && common < to.size() - 1 && from.get(common).equals(to.get(common))) {
            common++;
        }
        StringBuilder path = new StringBuilder();
        for (int i = common; i < from.size(); i++) {
            path.append("../");
        }
        path.append(String.join("/", to.subList(common, to.size())));
        return path.toString();
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }

    /** The CSP sources for every inline element named {@code tag}: {@code 'sha256-…'} each. */
    private static String hashes(String html, String tag) {
        List<String> sources = new ArrayList<>();
        String open = "<" + tag + ">";
        String close = "</" + tag + ">";
        for (int start = html.indexOf(open); start >= 0; start = html.indexOf(open, start + 1)) {
            int from = start + open.length();
            int end = html.indexOf(close, from);
            sources.add("'sha256-" + sha256(html.substring(from, end)) + "'");
        }
        return sources.isEmpty() ? "'none'" : String.join(" ", sources);
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    private static String read() {
        try (InputStream in = DashboardPage.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard page " + RESOURCE + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
