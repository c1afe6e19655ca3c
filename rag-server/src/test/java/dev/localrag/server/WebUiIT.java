package dev.localrag.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.localrag.core.config.AnswerSettings;
import dev.localrag.core.config.ChunkingSettings;
import dev.localrag.core.config.IngestSettings;
import dev.localrag.core.config.OllamaSettings;
import dev.localrag.core.config.RagConfig;
import dev.localrag.core.testing.OllamaTestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real browser: Debian's headless Chromium driven through {@code
 * /usr/bin/chromedriver} (nothing is downloaded), against the server on port 0 over the project's
 * Ollama test server. One user's session, in order: the key prompt, a not-found answer, uploads
 * with per-file results, a streamed answer with citation previews and the highlighted passage, a
 * follow-up, Stop, a reload, a hostile document, the client modules' own logic, delete, a 375 px
 * screen and the dark theme. Screenshots go to {@code target/ui-screens/} (failures as {@code
 * failed-*.png} with the browser's console log).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(WebUiIT.Screenshots.class)
class WebUiIT {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path SCREENS = Path.of("target", "ui-screens");
    static final String KEY = "ui-test-key-0123456789abcdef";
    static final String ABSENT_CHAT_MODEL = "absent-chat:1b";

    @TempDir
    static Path tmp;

    static OllamaTestServer ollama;
    static LocalRagServer server;
    static ChromeDriver driver;
    static WebDriverWait wait;
    static Http http;

    /** Uploads parse in-process: a parser process per upload job would only slow the browser test. */
    static final IngestSettings IN_PROCESS = IngestSettings.DEFAULT.withIsolate(false);

    static final boolean BROWSER = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    static final String NO_BROWSER = "the browser tests need Debian's chromium and chromium-driver"
            + " (/usr/bin/chromium, /usr/bin/chromedriver): apt-get install chromium chromium-driver (.ci/run does)";

    @BeforeAll
    static void start() throws IOException {
        if (!BROWSER) {
            System.err.println("WebUiIT skipped: " + NO_BROWSER);
            return; // each test is skipped with the reason (@BeforeEach)
        }
        Files.createDirectories(SCREENS);
        try (var old = Files.newDirectoryStream(SCREENS, "failed-*")) {
            for (Path p : old) {
                Files.delete(p); // from an earlier run
            }
        }
        ollama = new OllamaTestServer(Set.of(TestCorpus.CHAT_MODEL, TestCorpus.EMBED_MODEL), TestCorpus.DIM);
        RagConfig offline = new RagConfig(
                        tmp.resolve("index-offline"),
                        "ollama:" + TestCorpus.EMBED_MODEL,
                        new OllamaSettings(
                                ollama.baseUrl(),
                                ABSENT_CHAT_MODEL,
                                TestCorpus.EMBED_MODEL,
                                Duration.ofSeconds(30),
                                Duration.ofMillis(1500)),
                        3,
                        new ChunkingSettings(64, 8),
                        AnswerSettings.DEFAULT)
                .withIngest(IN_PROCESS);
        server = LocalRagServer.create(
                        ServerConfig.builder()
                                .port(0)
                                .collection(
                                        "docs",
                                        TestCorpus.config(tmp.resolve("index-docs"), ollama.baseUrl())
                                                .withIngest(IN_PROCESS))
                                .collection("offline", offline)
                                .apiKeys(Set.of(KEY))
                                .maxUploadBytes(256 * 1024)
                                .build(),
                        notice -> {})
                .start();
        http = new Http(server.baseUrl(), KEY);

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // CI runs as root
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--lang=en-US",
                "--window-size=1280,820");
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(60), Duration.ofMillis(25)); // a deadline, not a delay
        wait.ignoring(StaleElementReferenceException.class); // the page re-renders what it updates
    }

    @BeforeEach
    void needsTheBrowser() {
        assumeTrue(BROWSER, NO_BROWSER);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
        if (ollama != null) {
            ollama.close();
        }
    }

    // ---- the session ----

    @Test
    @Order(1)
    void thePageAsksForTheApiKeyAndKeepsIt() {
        driver.get(server.baseUrl() + "/");

        WebElement dialog = wait.until(d -> visible(By.id("key-dialog")));
        screenshot("key-prompt");
        assertThat(dialog.getText()).contains("needs an API key");
        driver.findElement(By.id("key-input")).sendKeys(KEY, Keys.ENTER);

        wait.until(d -> options(By.id("collection")).size() == 2);
        assertThat(options(By.id("collection"))).containsExactly("docs (0 documents)", "offline (0 documents)");
        assertThat(js("return localStorage.getItem('localrag.apiKey')")).isEqualTo(KEY);
        assertThat(driver.findElement(By.id("k")).getAttribute("placeholder")).isEqualTo("3");
    }

    @Test
    @Order(2)
    void aQuestionNothingAnswersIsLabelledNotFound() {
        ask("What is the office wifi password?");

        WebElement answer = awaitAnswer();
        assertThat(answer.getAttribute("data-status")).isEqualTo("done");
        assertThat(answer.findElement(By.cssSelector(".badge")).getText()).isEqualTo("Not found in your documents");
        assertThat(answer.findElement(By.cssSelector(".notice")).getText()).contains("no passage matches");
    }

    @Test
    @Order(3)
    void uploadsShowPerFileProgressAndErrors() throws IOException {
        Path alpha = Files.writeString(
                tmp.resolve("alpha.md"),
                "# Alpha station\n\nThe alpha station pumps water from the northern lake every morning.\n");
        Path beta = Files.writeString(
                tmp.resolve("beta.md"),
                "# Beta garden\n\nThe beta garden grows tomatoes and basil beside the greenhouse.\n");
        Path odd = Files.writeString(tmp.resolve("notes.xyz"), "not a document type the server takes");
        Path big = Files.writeString(tmp.resolve("big.txt"), "many words ".repeat(30_000));
        Path broken = Files.writeString(tmp.resolve("broken.pdf"), "%PDF-1.7 this is not really a PDF");

        driver.findElement(By.id("open-docs")).click();
        wait.until(d -> visible(By.id("docs-panel")));
        assertThat(driver.findElement(By.id("upload-limits")).getText()).startsWith("Up to 256.0 KB per file:");
        driver.findElement(By.id("files"))
                .sendKeys(String.join(
                        "\n",
                        List.of(alpha, beta, odd, big, broken).stream()
                                .map(Path::toString)
                                .toList()));

        wait.until(d -> uploads().size() == 5
                && uploads().values().stream()
                        .noneMatch(s -> s.matches("(?s).*(Waiting|Uploading|Queued|Indexing).*")));
        Map<String, String> results = uploads();
        assertThat(results.get("alpha.md")).isEqualTo("Indexed: 1 chunk");
        assertThat(results.get("beta.md")).isEqualTo("Indexed: 1 chunk");
        assertThat(results.get("notes.xyz")).startsWith("Unsupported type:").contains("notes.xyz");
        assertThat(results.get("broken.pdf")).startsWith("Could not be read: ");
        assertThat(results.get("big.txt"))
                .isEqualTo("Too large: 322.3 KB; this server takes files up to 256.0 KB"
                        + " (rag serve --max-upload-mb).");
        wait.until(d -> documentRows().size() == 2);
        assertThat(documentRows())
                .extracting(r -> r.findElement(By.cssSelector(".name")).getText())
                .containsExactlyInAnyOrder("alpha.md", "beta.md");
        assertThat(documentRows())
                .extracting(r -> r.findElements(By.cssSelector("td.num")).get(1).getText())
                .containsOnly("1");
        screenshot("documents");
        driver.findElement(By.cssSelector("#docs-panel .close")).click();
        wait.until(d -> !driver.findElement(By.id("docs-panel")).isDisplayed());
    }

    @Test
    @Order(4)
    void anAnswerStreamsInAndItsCitationsOpenTheHighlightedPassage() {
        WebElement question = driver.findElement(By.id("question"));
        question.sendKeys("first line", Keys.chord(Keys.SHIFT, Keys.ENTER), "second line");
        assertThat(question.getAttribute("value")).isEqualTo("first line\nsecond line"); // Shift+Enter: no send
        assertThat(driver.findElements(By.cssSelector(".msg.user"))).hasSize(1);
        question.clear();
        ollama.slowTokens(Duration.ofMillis(200)); // slow enough to see it grow on a loaded machine
        try {
            question.sendKeys("Which station pumps water from the lake?", Keys.ENTER);

            // the answer grows token by token before it is done
            Set<String> seen = new LinkedHashSet<>();
            wait.until(d -> {
                @SuppressWarnings("unchecked")
                List<String> state =
                        (List<String>) js("const a = [...document.querySelectorAll('.msg.assistant')].pop();"
                                + " return [a.dataset.status, a.querySelector('.answer').innerText];");
                if (!state.get(1).isBlank() && !state.get(1).startsWith("Searching")) {
                    seen.add(state.get(1));
                }
                return !state.get(0).equals("streaming");
            });
            assertThat(seen).as("the answer's text as it streamed in").hasSizeGreaterThanOrEqualTo(3);
        } finally {
            ollama.slowTokens(Duration.ZERO);
        }
        WebElement answer = lastAnswer();
        assertThat(answer.getAttribute("data-status")).isEqualTo("done");
        assertThat(answer.findElement(By.cssSelector(".answer")).getText()).startsWith("According to your documents");
        List<WebElement> chips = answer.findElements(By.cssSelector(".answer button.cite"));
        assertThat(chips).extracting(WebElement::getText).containsExactly("1", "2");
        WebElement alphaChip = chips.stream()
                .filter(c -> c.getAttribute("aria-label").endsWith("alpha.md"))
                .findFirst()
                .orElseThrow();

        // hover: file, passage, score and snippet
        new Actions(driver).moveToElement(alphaChip).perform();
        WebElement tip = wait.until(d -> visible(By.id("cite-tip")));
        assertThat(tip.getText())
                .contains("alpha.md")
                .contains("passage 1")
                .contains("score ")
                .contains("pumps water from the northern lake");
        assertThat(alphaChip.getAttribute("aria-describedby")).isEqualTo("cite-tip");

        // click: the source panel shows the document with the cited passage highlighted
        alphaChip.click();
        WebElement panel = wait.until(d -> visible(By.id("source-panel")));
        WebElement mark = wait.until(d -> visible(By.cssSelector("#source-body .chunk.hit mark")));
        assertThat(mark.getText()).contains("The alpha station pumps water from the northern lake");
        assertThat(panel.findElement(By.id("source-title")).getText())
                .isEqualTo("[" + alphaChip.getText() + "] alpha.md");
        assertThat(panel.findElement(By.id("source-meta")).getText())
                .contains(tmp.getFileName().toString());
        new Actions(driver)
                .moveToElement(alphaChip)
                .perform(); // the preview over the open source: the README's picture
        wait.until(d -> visible(By.id("cite-tip")));
        screenshot("chat");

        // every passage used is listed in full under the answer
        answer.findElement(By.cssSelector(".sources summary")).click();
        assertThat(answer.findElements(By.cssSelector(".sources .passage")))
                .extracting(WebElement::getText)
                .anyMatch(t -> t.contains("The beta garden grows tomatoes and basil beside the greenhouse."));
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        wait.until(d -> !driver.findElement(By.id("source-panel")).isDisplayed());
    }

    @Test
    @Order(5)
    void aFollowUpSendsTheConversationAsHistory() {
        int before = ollama.requests("/api/chat").size();

        ask("And what does the garden grow?");

        WebElement answer = awaitAnswer();
        assertThat(answer.getAttribute("data-status")).isEqualTo("done");
        assertThat(driver.findElements(By.cssSelector(".msg.assistant"))).hasSize(3);
        List<OllamaTestServer.Request> chats = ollama.requests("/api/chat");
        assertThat(chats.subList(before, chats.size()))
                .extracting(r -> r.body().toString())
                .anyMatch(body -> body.contains("Which station pumps water from the lake?")
                        && body.contains("And what does the garden grow?"));
    }

    @Test
    @Order(6)
    void stopEndsASlowAnswerAndTheServerClosesTheModelStream() {
        driver.findElement(By.id("new-chat")).click();
        assertThat(driver.findElements(By.cssSelector(".msg"))).isEmpty();
        int disconnects = ollama.disconnects().size();
        ollama.slowTokens(Duration.ofMillis(400));
        try {
            ask("What does the beta garden grow beside the greenhouse?");
            wait.until(d -> lastAnswer()
                    .findElement(By.cssSelector(".answer"))
                    .getText()
                    .startsWith("According"));
            assertThat(driver.findElement(By.id("stop")).isDisplayed()).isTrue();

            driver.findElement(By.id("question")).sendKeys(Keys.ESCAPE);

            wait.until(d -> lastAnswer().getAttribute("data-status").equals("stopped"));
            assertThat(lastAnswer().findElement(By.cssSelector(".badge")).getText())
                    .isEqualTo("Stopped");
            assertThat(driver.findElement(By.id("send")).isDisplayed()).isTrue();
            wait.until(d -> ollama.disconnects().size() > disconnects); // the model's stream was closed early
        } finally {
            ollama.slowTokens(Duration.ZERO);
        }
    }

    @Test
    @Order(7)
    void aReloadKeepsTheConversationsWithTheirCitations() {
        driver.navigate().refresh();

        wait.until(d -> driver.findElements(By.cssSelector("#conversations .conversation"))
                        .size()
                == 2);
        assertThat(lastAnswer().getAttribute("data-status")).isEqualTo("stopped"); // the current one
        List<String> titles = driver.findElements(By.cssSelector("#conversations .conversation .title")).stream()
                .map(WebElement::getText)
                .toList();
        assertThat(titles)
                .containsExactly(
                        "What does the beta garden grow beside the greenhouse?",
                        "What is the office wifi password?"); // newest first

        driver.findElements(By.cssSelector("#conversations .conversation"))
                .get(1)
                .click();
        wait.until(d -> driver.findElements(By.cssSelector(".msg.assistant")).size() == 3);
        WebElement cited = driver.findElements(By.cssSelector(".msg.assistant")).get(1);
        WebElement chip = cited.findElement(By.cssSelector(".answer button.cite"));
        chip.click();
        WebElement mark = wait.until(d -> visible(By.cssSelector("#source-body .chunk.hit mark")));
        assertThat(mark.getText()).containsAnyOf("alpha station", "beta garden");
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
    }

    @Test
    @Order(8)
    void aHostileDocumentIsShownAsTextAndRunsNothing() throws IOException {
        Path hostile = Files.writeString(
                tmp.resolve("hostile.md"),
                "# Lanterns\n\nLanterns <img src=x onerror=\"window.__pwned=1\"> glow"
                        + " <script>window.__pwned=2</script> at night.\n");
        new Select(driver.findElement(By.id("collection"))).selectByValue("offline");
        driver.findElement(By.id("open-docs")).click();
        driver.findElement(By.id("files")).sendKeys(hostile.toString());
        wait.until(d -> "Indexed: 1 chunk".equals(uploads().get("hostile.md")));
        driver.findElement(By.cssSelector("#docs-panel .close")).click();

        ask("Do lanterns glow at night?");

        WebElement answer = awaitAnswer();
        assertThat(answer.findElement(By.cssSelector(".badge")).getText())
                .isEqualTo("Passages only: no generated answer");
        assertThat(answer.findElement(By.cssSelector(".notice")).getText())
                .contains("ollama pull " + ABSENT_CHAT_MODEL);
        assertThat(answer.findElement(By.cssSelector(".answer")).getText())
                .contains("<img src=x onerror=\"window.__pwned=1\">");
        WebElement chip = answer.findElement(By.cssSelector(".answer button.cite"));
        new Actions(driver).moveToElement(chip).perform();
        assertThat(wait.until(d -> visible(By.id("cite-tip"))).getText()).contains("<script>window.__pwned=2</script>");
        chip.click();
        WebElement mark = wait.until(d -> visible(By.cssSelector("#source-body .chunk.hit mark")));
        assertThat(mark.getText()).contains("<img src=x onerror=\"window.__pwned=1\">");
        answer.findElement(By.cssSelector(".sources summary")).click();
        screenshot("hostile");

        assertThat(js("return window.__pwned === undefined")).isEqualTo(true);
        assertThat(js("return document.querySelectorAll('img, script:not([src]), [onerror]').length"))
                .isEqualTo(0L);
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
    }

    @Test
    @Order(9)
    void theClientModulesParseEventsCitationsAndMarkdownSafely() throws Exception {
        Object result = driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const load = (name) => import(new URL('ui/' + name, document.baseURI).href);
                Promise.all(['sse.js', 'citations.js', 'markdown.js', 'store.js', 'format.js'].map(load))
                  .then(([sse, citations, markdown, store, format]) => {
                    const parser = new sse.SseParser();
                    const stream = 'event: token\\ndata: {"text":"a"}\\n\\n: waiting\\n\\n'
                      + 'event: done\\r\\ndata: {"x":1}\\r\\n\\r\\ndata: one\\ndata: two\\n\\n';
                    const events = [];
                    for (const piece of [stream.slice(0, 9), stream.slice(9, 30), stream.slice(30, 56),
                        stream.slice(56, 57), stream.slice(57)]) {
                      events.push(...parser.push(piece));
                    }
                    const html = markdown.renderMarkdown('**bold** [go](javascript:window.__pwned=5) `[1]`'
                      + ' [site](https://example.org)\\n\\n<script>window.__pwned=3</script>\\n\\n'
                      + 'Text <img src=x onerror="window.__pwned=4"> and'
                      + ' <a href="https://example.org" onclick="window.__pwned=6">x</a>');
                    const box = document.createElement('div');
                    box.innerHTML = html;
                    return JSON.stringify({
                      events,
                      parts: citations.citationParts('See [1] and [2][3], also [1, 2] but not [9] or [x].',
                        (n) => n <= 3),
                      cited: citations.citedNumbers('[2] then [1][2] and [7]', (n) => n <= 3),
                      html,
                      dangerous: box.querySelectorAll('script, img, [onerror], [onclick], a[href^="javascript"]').length,
                      history: store.historyOf([
                        { role: 'user', text: 'q1' }, { role: 'assistant', text: 'a1', status: 'done' },
                        { role: 'user', text: 'q2' }, { role: 'assistant', text: 'a2', status: 'stopped' },
                        { role: 'user', text: 'q3' }, { role: 'assistant', text: 'a3', status: 'done' }]),
                      id: format.documentId('/tmp/caf\u00e9 notes?.md'),
                      bytes: [format.humanBytes(512), format.humanBytes(2048), format.humanBytes(5 * 1024 * 1024)],
                      pwned: window.__pwned === undefined ? null : window.__pwned,
                    });
                  })
                  .then(done, (e) => done('ERROR ' + e));
                """);

        assertThat(result).asString().doesNotStartWith("ERROR");
        JsonNode r = Http.JSON.readTree(result.toString());
        assertThat(r.path("events").toString())
                .isEqualTo("[{\"event\":\"token\",\"data\":\"{\\\"text\\\":\\\"a\\\"}\"},"
                        + "{\"event\":\"done\",\"data\":\"{\\\"x\\\":1}\"},"
                        + "{\"event\":\"message\",\"data\":\"one\\ntwo\"}]");
        assertThat(r.path("parts").toString())
                .isEqualTo("[{\"text\":\"See \"},{\"n\":1},{\"text\":\" and \"},{\"n\":2},{\"n\":3},"
                        + "{\"text\":\", also \"},{\"n\":1},{\"n\":2},{\"text\":\" but not [9] or [x].\"}]");
        assertThat(r.path("cited").toString()).isEqualTo("[2,1]");
        assertThat(r.path("html").asText())
                .contains("&lt;script&gt;window.__pwned=3&lt;/script&gt;")
                .contains("<strong>bold</strong>")
                .contains("<code>[1]</code>")
                .contains("&lt;img src=x onerror=\"window.__pwned=4\"&gt;")
                .contains("<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener noreferrer\">site</a>");
        assertThat(r.path("dangerous").asInt()).isZero();
        assertThat(r.path("history").toString())
                .isEqualTo("[{\"role\":\"user\",\"content\":\"q1\"},{\"role\":\"assistant\",\"content\":\"a1\"},"
                        + "{\"role\":\"user\",\"content\":\"q3\"},{\"role\":\"assistant\",\"content\":\"a3\"}]");
        assertThat(r.path("id").asText()).isEqualTo(DocumentIds.encode("/tmp/café notes?.md"));
        assertThat(r.path("bytes").toString()).isEqualTo("[\"512 B\",\"2.0 KB\",\"5.0 MB\"]");
        assertThat(r.path("pwned").isNull()).isTrue();
    }

    @Test
    @Order(10)
    void aDocumentIsDeletedAfterConfirming() {
        new Select(driver.findElement(By.id("collection"))).selectByValue("docs");
        driver.findElement(By.id("open-docs")).click();
        wait.until(d -> documentRows().size() == 2);

        driver.findElement(By.id("doc-search")).sendKeys("beta");
        wait.until(d -> documentRows().size() == 1);
        assertThat(driver.findElement(By.id("docs-summary")).getText()).isEqualTo("1 of 2 documents");
        documentRows().getFirst().findElement(By.cssSelector("button.delete")).click();
        WebElement confirm = wait.until(d -> visible(By.id("confirm-dialog")));
        assertThat(confirm.getText()).contains("Delete beta.md?");
        driver.findElement(By.id("confirm-cancel")).click();
        assertThat(documentRows()).hasSize(1); // cancelled: still there
        documentRows().getFirst().findElement(By.cssSelector("button.delete")).click();
        wait.until(d -> visible(By.id("confirm-dialog")));
        driver.findElement(By.id("confirm-ok")).click();

        wait.until(d -> documentRows().isEmpty());
        JsonNode left = http.get("/v1/documents?collection=docs").json();
        assertThat(left.path("total").asInt()).isEqualTo(1);
        assertThat(left.path("documents").get(0).path("path").asText()).endsWith("alpha.md");
        driver.findElement(By.id("doc-search")).clear();
        driver.findElement(By.cssSelector("#docs-panel .close")).click();
    }

    @Test
    @Order(11)
    void itFitsA375PixelScreenAndFollowsTheDarkTheme() {
        Dimension wide = driver.manage().window().getSize();
        try {
            driver.manage().window().setSize(new Dimension(375, 812));
            wait.until(d -> driver.findElement(By.id("menu")).isDisplayed());
            assertThat(js("return [...document.querySelectorAll('body *')]"
                            + ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)"
                            + ".map(e => e.tagName + '#' + e.id + '.' + e.className)"))
                    .as("elements wider than the screen")
                    .asInstanceOf(InstanceOfAssertFactories.LIST)
                    .isEmpty();
            assertThat(js("return document.documentElement.scrollWidth <= window.innerWidth"))
                    .isEqualTo(true);
            assertThat(driver.findElement(By.id("question")).isDisplayed()).isTrue();
            assertThat(driver.findElement(By.id("sidebar")).getRect().getX()
                            + driver.findElement(By.id("sidebar")).getRect().getWidth())
                    .as("the conversations are a drawer, off screen")
                    .isLessThanOrEqualTo(0);
            screenshot("narrow");
            driver.findElement(By.id("menu")).click();
            wait.until(d -> driver.findElement(By.id("sidebar")).getRect().getX() >= 0);
            assertThat(driver.findElement(By.id("menu")).getAttribute("aria-expanded"))
                    .isEqualTo("true");
            new Actions(driver).sendKeys(Keys.ESCAPE).perform(); // Esc closes the drawer
            wait.until(d -> driver.findElement(By.id("sidebar")).getRect().getX() < 0);
            assertThat(driver.findElement(By.id("menu")).getAttribute("aria-expanded"))
                    .isEqualTo("false");
        } finally {
            driver.manage().window().setSize(wide);
        }
        String light =
                js("return getComputedStyle(document.body).backgroundColor").toString();

        driver.executeCdpCommand(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        try {
            assertThat(js("return getComputedStyle(document.body).backgroundColor"))
                    .isEqualTo("rgb(18, 20, 23)")
                    .isNotEqualTo(light);
            screenshot("dark");
        } finally {
            driver.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
        }
    }

    @Test
    @Order(12)
    void aFileDroppedOnThePageIsUploaded() {
        assertThat(driver.findElement(By.id("docs-panel")).isDisplayed()).isFalse();

        js("const files = new DataTransfer();"
                + " files.items.add(new File(['# Delta\\n\\nThe delta river floods in spring.\\n'], 'delta.md'));"
                + " document.getElementById('thread').dispatchEvent(new DragEvent('drop',"
                + " {dataTransfer: files, bubbles: true, cancelable: true}));");

        wait.until(d -> visible(By.id("docs-panel")));
        wait.until(d -> "Indexed: 1 chunk".equals(uploads().get("delta.md")));
        wait.until(d -> documentRows().size() == 2);
        assertThat(http.get("/v1/documents?collection=docs")
                        .json()
                        .path("total")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    @Order(13)
    void aQueuedUploadIsCancelledAndNothingIsIndexed() throws IOException {
        Path gamma = Files.writeString(tmp.resolve("gamma.md"), "# Gamma\n\nThe gamma note is about owls.\n");
        wait.until(d -> documentRows().size() == 2);
        ServedCollection docs = server.collection("docs");
        docs.writeLock().lock(); // as a running ingest would: the upload's job waits in the queue
        try {
            driver.findElement(By.id("files")).sendKeys(gamma.toString());
            wait.until(d -> "Queued for indexing".equals(uploads().get("gamma.md")));

            driver.findElement(By.cssSelector("button[aria-label='Cancel gamma.md']"))
                    .click();

            wait.until(d -> "Cancelled".equals(uploads().get("gamma.md")));
        } finally {
            docs.writeLock().unlock();
        }
        JsonNode left = http.get("/v1/documents?collection=docs").json();
        assertThat(left.path("documents").findValuesAsText("path")).noneMatch(p -> p.endsWith("gamma.md"));
        assertThat(documentRows()).hasSize(2);
    }

    @Test
    @Order(14)
    void theContentSecurityPolicyRefusedNothingThePageDoes() {
        // the session above ran without the policy blocking any of the page's own scripts or styles
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .extracting(LogEntry::getMessage)
                .noneMatch(m -> m.contains("Content Security Policy"));
    }

    // ---- helpers ----

    static void ask(String question) {
        int before = driver.findElements(By.cssSelector(".msg.assistant")).size();
        driver.findElement(By.id("question")).sendKeys(question, Keys.ENTER);
        wait.until(d -> driver.findElements(By.cssSelector(".msg.assistant")).size() == before + 1);
    }

    /** The last answer, once it is no longer streaming. */
    static WebElement awaitAnswer() {
        wait.until(d -> !lastAnswer().getAttribute("data-status").equals("streaming"));
        return lastAnswer();
    }

    static WebElement lastAnswer() {
        return driver.findElements(By.cssSelector(".msg.assistant")).getLast();
    }

    static WebElement visible(By by) {
        List<WebElement> found = driver.findElements(by);
        return found.isEmpty() || !found.getFirst().isDisplayed() ? null : found.getFirst();
    }

    static List<String> options(By select) {
        return driver.findElement(select).findElements(By.tagName("option")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** File name to status text of the uploads listed. */
    static Map<String, String> uploads() {
        return driver.findElements(By.cssSelector("#uploads li")).stream()
                .collect(Collectors.toMap(
                        li -> li.findElement(By.cssSelector(".name")).getText(),
                        li -> li.findElement(By.cssSelector(".status")).getText(),
                        (a, b) -> b));
    }

    static List<WebElement> documentRows() {
        return driver.findElements(By.cssSelector("#docs tr"));
    }

    static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    static void screenshot(String name) {
        try {
            Files.write(SCREENS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** On failure: a screenshot and the browser's console log under target/ui-screens/. */
    static final class Screenshots implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (driver == null) {
                return;
            }
            String name = "failed-" + context.getRequiredTestMethod().getName();
            screenshot(name);
            List<String> lines = new ArrayList<>();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                lines.add(entry.getLevel() + " " + entry.getMessage());
            }
            try {
                Files.write(SCREENS.resolve(name + ".log"), lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
