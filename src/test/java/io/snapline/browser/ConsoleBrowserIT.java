package io.snapline.browser;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in a real browser: Debian's headless Chromium, driven through
 * {@code /usr/bin/chromedriver} by Selenium, against the whole service started in this JVM in local
 * mode (embedded SQS, embedded ledger, the sample configuration) with a console token. Each view's
 * screenshot is written to {@code target/console-screenshots/}.
 *
 * <p>Run by {@code mvn -B -Pbrowser test} (and {@code .ci/run}); the default build does not run it.
 * Without Chromium it fails, with the command that installs it: it never skips.
 */
class ConsoleBrowserIT {

    static final Path CHROMIUM = Path.of(System.getProperty("snapline.browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("snapline.browser.chromedriver", "/usr/bin/chromedriver"));
    static final String TOKEN = "browser-test-token-0123456789abcdef";
    static final Path SHOTS = Path.of("target", "console-screenshots");

    private static EmbeddedServer server;
    private static ChromeDriverService service;
    private static ChromeDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(tool)) {
                throw new AssertionError(tool + " is missing: the browser tests need Debian's Chromium and its driver. "
                        + "Install them with: apt-get install -y chromium chromium-driver "
                        + "(or point -Dsnapline.browser.chromium / -Dsnapline.browser.chromedriver at them)");
            }
        }
        Files.createDirectories(SHOTS);
        Path ledger = Files.createTempDirectory("snapline-browser").resolve("ledger.jsonl");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "snapline.local.sqs-port", 0,
                "snapline.ledger.path", ledger.toString(),
                "snapline.queue.wait-time", "1s",
                "snapline.console.token", TOKEN), "local", "sample");
        profile = Files.createTempDirectory("snapline-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
                .withLogFile(SHOTS.resolve("chromedriver.log").toFile()).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(url("/"));
        browser.manage().deleteAllCookies();
        browser.manage().window().setSize(new Dimension(1366, 900));
    }

    static String url(String path) {
        return server.getURL() + path;
    }

    static void post(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url("/events")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(202);
    }

    static void screenshot(String name) throws IOException {
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SHOTS.resolve(name + ".png"))).isGreaterThan(1000);
    }

    static String text() {
        return browser.findElement(By.tagName("body")).getText();
    }

    /** Reloads the page until its text holds {@code expected}. */
    static void untilShown(String path, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.get(url(path));
            assertThat(text()).contains(expected);
        });
    }

    static void signIn() {
        browser.get(url("/console/sign-in"));
        browser.findElement(By.id("operator")).sendKeys("browser-test");
        browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("Signed in as browser-test"));
    }

    /** The table row whose text holds {@code fragment}. */
    static WebElement row(String fragment) {
        return browser.findElements(By.cssSelector("tbody tr")).stream().filter(r -> r.getText().contains(fragment))
                .findFirst().orElseThrow(() -> new AssertionError("no row holds " + fragment + " in:\n" + text()));
    }

    @Test
    void thePipelineOfAPostedSnapshot_appearsWithItsSteps_foundByKeyboardSearch() throws Exception {
        post(Files.readString(Path.of("samples/snapshot-created.json")));
        untilShown("/", "orders-before-migration");
        post(Files.readString(Path.of("samples/export-completed.json")));
        untilShown("/console/pipeline?id=orders-before-migration", "acl:sample");
        browser.get(url("/"));

        WebElement search = browser.findElement(By.id("q"));
        search.sendKeys("orders-before", Keys.ENTER);
        await().atMost(Duration.ofSeconds(10)).until(() -> browser.getCurrentUrl().contains("q=orders-before"));
        assertThat(row("orders-before-migration").getText()).contains("export:sample");
        screenshot("pipelines");

        browser.findElement(By.linkText("orders-before-migration")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("Steps"));
        assertThat(text()).contains("export:sample").contains("policy").containsIgnoringCase("Attempts")
                .contains("s3://snapline-local-exports/");
        screenshot("pipeline");

        browser.manage().window().setSize(new Dimension(390, 844));
        browser.get(url("/"));
        screenshot("pipelines-phone");
    }

    @Test
    void aMalformedMessage_showsInTheDeadLetters_withItsReason_andIsRedriven() throws Exception {
        post("this is not an event <b>at all</b>");
        signIn();
        untilShown("/console/dead-letters", "this is not an event");
        WebElement letter = row("this is not an event");
        assertThat(letter.getText()).containsIgnoringCase("json");
        String before = letter.findElement(By.name("messageId")).getAttribute("value");
        screenshot("dead-letters");

        letter.findElement(By.xpath(".//button[starts-with(normalize-space(.), 'Redrive')]")).click();
        await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("Redrive dead letter"));
        screenshot("confirm-redrive");
        browser.findElement(By.xpath("//button[normalize-space(.)='Yes, redrive']")).click();

        await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("redriven to the queue as message"));
        // consumed again, it fails again for the same reason: back in the dead letters as a new message
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            browser.get(url("/console/dead-letters"));
            WebElement again = row("this is not an event");
            assertThat(again.findElement(By.name("messageId")).getAttribute("value")).isNotEqualTo(before);
        });
    }

    @Test
    void anActionWithoutTheToken_isRefused() throws Exception {
        post("{\"command\":\"refused-in-the-browser\"}");
        untilShown("/console/dead-letters", "refused-in-the-browser");
        assertThat(text()).contains("Read-only").contains("Sign in to act");

        row("refused-in-the-browser").findElement(By.xpath(".//button[starts-with(normalize-space(.), 'Discard')]")).click();

        await().atMost(Duration.ofSeconds(10)).until(() -> text().contains("Refused"));
        assertThat(text()).contains("sign in with the console token first");
        screenshot("refused");
        untilShown("/console/dead-letters", "refused-in-the-browser");
    }

    @Test
    void plansHealthClonesAndSchedules_render() throws Exception {
        signIn();
        browser.get(url("/console/plans"));
        assertThat(text()).contains("Prune plans").contains("Dry-run now");
        screenshot("plans");
        browser.get(url("/console/health"));
        assertThat(text()).contains("Queue").contains("Consumer").contains("Running").contains("Ledger").contains("Version");
        screenshot("health");
        browser.get(url("/console/clones"));
        // this build has clones: the section renders (none live in local mode), never the "not available" notice
        assertThat(text()).contains("No live clone.").doesNotContain("not available in this build");
        screenshot("clones");
    }
}
