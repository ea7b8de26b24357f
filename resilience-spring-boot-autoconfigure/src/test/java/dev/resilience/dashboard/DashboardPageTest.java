package dev.resilience.dashboard;

import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DashboardPageTest {

    @Test
    void theStreamIsAddressedRelativeToThePage() {
        assertThat(DashboardPage.relative("/resilience/dashboard", DashboardPage.STREAM_PATH)).isEqualTo("stream");
        assertThat(DashboardPage.relative("/ops/live", DashboardPage.STREAM_PATH)).isEqualTo("../resilience/stream");
        assertThat(DashboardPage.relative("/live", DashboardPage.STREAM_PATH)).isEqualTo("resilience/stream");
        assertThat(DashboardPage.relative("/a/b/c", DashboardPage.STREAM_PATH)).isEqualTo("../../resilience/stream");
        assertThat(DashboardPage.relative("/resilience/dashboard/", DashboardPage.STREAM_PATH)).isEqualTo("../stream");
        assertThat(DashboardPage.relative("/resilience/x/y", DashboardPage.STREAM_PATH)).isEqualTo("../stream");
        assertThat(new DashboardPage("/ops/live").html()).contains("data-stream=\"../resilience/stream\"")
                .doesNotContain("__RESILIENCE_STREAM__");
    }

    @Test
    void thePageFetchesNothingFromAnywhereAndItsPolicyAllowsExactlyItsOwnScriptAndStyle() throws Exception {
        DashboardPage page = new DashboardPage("/resilience/dashboard");
        String html = page.html();
        // the only absolute address is SVG's namespace, a name and never fetched
        Matcher addresses = Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+").matcher(html);
        while (addresses.find()) {
            assertThat(addresses.group()).isEqualTo("http://www.w3.org");
        }
        assertThat(html).doesNotContainPattern("(?i)<script[^>]+src").doesNotContainPattern("(?i)<link[^>]+stylesheet")
                .doesNotContainPattern("(?i)@import").doesNotContainPattern("(?i)url\\(")
                .doesNotContainPattern("(?i)\\sstyle=").doesNotContain("innerHTML");
        String script = between(html, "<script>", "</script>");
        String style = between(html, "<style>", "</style>");
        assertThat(page.contentSecurityPolicy())
                .startsWith("default-src 'none'; ")
                .contains("script-src 'sha256-" + sha256(script) + "';")
                .contains("style-src 'sha256-" + sha256(style) + "';")
                .contains("connect-src 'self'");
    }

    @Test
    void aNativeImageKeepsThePage() {
        RuntimeHints hints = new RuntimeHints();
        new DashboardRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertThat(RuntimeHintsPredicates.resource().forResource("dev/resilience/dashboard/dashboard.html"))
                .accepts(hints);
        assertThat(getClass().getClassLoader().getResource(DashboardPage.RESOURCE_PATH)).isNotNull();
    }

    private static String between(String text, String open, String close) {
        int from = text.indexOf(open) + open.length();
        return text.substring(from, text.indexOf(close, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
