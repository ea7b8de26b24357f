package dev.resilience.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import dev.resilience.core.circuitbreaker.CircuitBreaker;
import dev.resilience.core.circuitbreaker.CircuitBreakerRegistry;
import dev.resilience.dashboard.LiveView;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard as a person sees it, in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromium-driver}, which {@code .ci/run} installs): the sample as shipped, one page load, the partner made to
 * fail, and the page shows the breaker OPEN without a reload; a narrow window still fits; a lost stream says so.
 *
 * <p>Without Chromium on the machine the test is skipped, except in CI ({@code CI=true}), where it fails: there the
 * browser must be there. A screenshot of the page is written to {@code target/dashboard.png}, and also to the path of
 * the system property {@code dashboard.screenshot} when set (the README's {@code docs/dashboard.png} is made with
 * {@code -Ddashboard.screenshot=../docs/dashboard.png}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class DashboardBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(15);
    private static final String PARTNER_CARD = ".card[data-kind='circuitbreaker'][data-name='partner']";

    private static Path profile;
    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    CircuitBreakerRegistry circuitBreakers;

    @Autowired
    LiveView liveView;

    private RestClient http;

    @BeforeAll
    static void startTheBrowser() throws IOException {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort("Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)");
        }
        assertThat(installed).as("%s and %s are installed (CI installs them)", CHROMIUM, CHROMEDRIVER).isTrue();
        profile = Files.createTempDirectory("dashboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,1000", "--lang=en-GB");
        // the driver is named: Selenium Manager has nothing to look up, let alone download (SE_OFFLINE is set too)
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopTheBrowser() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void client() {
        http = RestClient.builder().baseUrl("http://localhost:" + port)
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                        .build(HttpClientSettings.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(20))))
                .defaultStatusHandler(status -> true, (request, response) -> {
                })
                .build();
    }

    /** The context is the sample as shipped, shared with other tests: leave it healthy. */
    @AfterEach
    void healThePartner() {
        http.delete().uri("/partner/chaos").retrieve().toBodilessEntity();
        breaker().reset();
        if (!liveView.isRunning()) {
            liveView.start();
        }
    }

    @Test
    void thePageShowsTheBreakerOpenWhenThePartnerFailsWithoutAReload() throws IOException {
        // a little healthy traffic, so that the sparkline has something to draw (for the README's screenshot, more)
        for (int i = 0; i < 12; i++) {
            http.get().uri("/offer").retrieve().toBodilessEntity();
        }
        if (screenshotWanted() != null) {
            warmUp(Duration.ofSeconds(40));
        }
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.get("http://localhost:" + port + "/resilience/dashboard");
        ((JavascriptExecutor) browser).executeScript("window.loadedOnce = true;");

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(state()).isEqualTo("CLOSED");
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("Live");
        });
        assertThat(browser.findElements(By.cssSelector(".card")))
                .extracting(card -> card.getDomAttribute("data-kind"))
                .containsExactlyInAnyOrder("ratelimiter", "circuitbreaker", "retry", "timeout", "bulkhead");
        assertThat(browser.findElement(By.cssSelector(PARTNER_CARD + " .meaning")).getText()).isEqualTo("calls flow");

        // the partner fails every call; the sample's callers keep coming until the breaker opens
        http.put().uri("/partner/chaos").contentType(MediaType.APPLICATION_JSON)
                .body("{\"failureRate\": 1.0, \"status\": 500}").retrieve().toBodilessEntity();
        for (int i = 0; i < 20 && breaker().getState() != CircuitBreaker.State.OPEN; i++) {
            http.get().uri("/offer").retrieve().toBodilessEntity();
        }
        assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(state()).isEqualTo("OPEN");
            assertThat(browser.findElement(By.cssSelector(PARTNER_CARD + " .meaning")).getText())
                    .startsWith("calls are refused");
            assertThat(eventTexts()).anySatisfy(text -> assertThat(text).contains("CLOSED \u2192 OPEN"));
            assertThat(eventTexts()).anySatisfy(text -> assertThat(text).contains("calls fail"));
        });
        assertThat(((JavascriptExecutor) browser).executeScript("return window.loadedOnce === true;"))
                .as("the same page, never reloaded").isEqualTo(true);
        assertThat(browser.findElement(By.cssSelector(PARTNER_CARD)).getDomAttribute("class")).contains("tone-bad");
        screenshot();

        // a narrow window: the cards stack, nothing runs off to the side
        browser.manage().window().setSize(new Dimension(420, 900));
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollWidth <= window.innerWidth;")).isEqualTo(true));
        assertThat(state()).isIn("OPEN", "HALF OPEN", "CLOSED");
    }

    @Test
    void thePageSaysSoWhenTheStreamIsLostAndRecoversByItself() {
        browser.manage().window().setSize(new Dimension(1280, 1000));
        browser.get("http://localhost:" + port + "/resilience/dashboard");
        await().atMost(PAGE_WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(browser.findElement(By.id("lost")).isDisplayed()).isFalse());
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> assertThat(state()).isNotEmpty());

        liveView.stop();
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("lost")).isDisplayed()).isTrue();
            assertThat(browser.findElement(By.id("lost")).getText()).contains("stream is lost");
            assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("Stream lost");
        });

        liveView.start();
        await().atMost(PAGE_WAIT).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findElement(By.id("lost")).isDisplayed()).isFalse();
            assertThat(browser.findElement(By.id("status")).getText()).startsWith("Live");
        });
    }

    private static String screenshotWanted() {
        String wanted = System.getProperty("dashboard.screenshot");
        return wanted == null || wanted.isBlank() ? null : wanted;
    }

    /** Healthy calls, five a second, for {@code duration}: a sparkline worth a screenshot. */
    private void warmUp(Duration duration) {
        AtomicInteger calls = new AtomicInteger();
        ScheduledExecutorService caller = Executors.newSingleThreadScheduledExecutor();
        try {
            caller.scheduleAtFixedRate(() -> {
                http.get().uri("/offer").retrieve().toBodilessEntity();
                calls.incrementAndGet();
            }, 0, 200, TimeUnit.MILLISECONDS);
            long wanted = duration.toMillis() / 200;
            await().atMost(duration.multipliedBy(2)).until(() -> calls.get() >= wanted);
        }
        finally {
            caller.shutdownNow();
        }
    }

    private String state() {
        return browser.findElement(By.cssSelector(PARTNER_CARD + " .state")).getText();
    }

    private List<String> eventTexts() {
        return browser.findElements(By.cssSelector("#events li")).stream().map(WebElement::getText).toList();
    }

    private CircuitBreaker breaker() {
        return circuitBreakers.find("partner").orElseThrow();
    }

    private void screenshot() throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Path target = Path.of("target", "dashboard.png");
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        String wanted = screenshotWanted();
        if (wanted != null) {
            Path copy = Path.of(wanted);
            Files.createDirectories(copy.toAbsolutePath().getParent());
            Files.copy(shot, copy, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
