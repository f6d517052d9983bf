package io.garden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.cli.remote.GatewayClient;
import io.garden.common.Prerequisites;
import io.garden.common.config.GardenConfig;
import io.garden.common.event.EventCodec;
import io.garden.common.kafka.KafkaBroker;
import io.garden.gateway.GatewayConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator page in a real browser (Debian's chromium, driven through its chromedriver) against a real gateway
 * with workers on the test broker: it asks for the token, shows a pipeline change to succeeded without a reload,
 * its steps and the publish decision table, and the locks. Skipped without a browser, except under CI=true.
 */
@ExtendWith(KafkaBroker.class)
class OperatorPageIT {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir
  static Path temp;

  private static Path repo;
  private static GardenNode node;
  private static GatewayClient client;
  private static WebDriver browser;
  private static String alice;

  @BeforeAll
  static void start() throws Exception {
    Prerequisites.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "no browser: no "
        + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");

    repo = CliRun.copyOfExamples(Files.createDirectories(temp.resolve("extensions")));
    Map<String, String> env = new HashMap<>();
    env.put("GARDEN_HOST", "page-it");
    env.put("KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.bootstrapServers());
    env.put("DOCKER_HOST", "unix://" + temp.resolve("no-engine.sock"));
    env.put("GARDEN_SOURCE_CACHE", temp.resolve("sources").toString());
    // Prod is protected: alice asks, the page's admin approves with the plan in view.
    env.put("GARDEN_PROTECTED_STAGES", "prod:1");
    java.nio.file.Path tokens = temp.resolve("tokens.json");
    alice = new io.garden.gateway.intake.CredentialFile(tokens, java.time.Clock.systemUTC()).create("alice",
        java.util.EnumSet.of(io.garden.gateway.intake.Role.RUN, io.garden.gateway.intake.Role.PUBLISH_PROD));
    env.put("GARDEN_API_TOKENS_FILE", tokens.toString());
    GardenConfig config = GardenConfig.fromEnv(env).withStoreDefault(temp.resolve("store"));
    GatewayConfig gateway = GatewayConfig.fromEnv(env).withPort(0).allowingPaths(List.of(repo));
    node = GardenNode.start(env, config, gateway, new PrintWriter(new StringWriter()));
    client = new GatewayClient(node.url(), node.token());

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1400,1000",
        "--user-data-dir=" + Files.createDirectories(temp.resolve("chromium-profile")));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close();
    }
  }

  @Test
  @DisplayName("the page asks for the token once, then shows a running pipeline turn succeeded without a reload")
  void pipelineTurnsSucceededLive() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(node.url() + "/");

    login("not-the-token");
    wait.until(ExpectedConditions.textToBe(By.id("login-error"), "That token was not accepted."));
    login(node.token());
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("window.gardenMarker = 'the same page';");
    assertThat(js.executeScript("return localStorage.length")).as("the token is kept for the session only")
        .isEqualTo(0L);
    assertThat(js.executeScript("return sessionStorage.getItem('garden-api-token')")).isEqualTo(node.token());

    String id = client.submit(EventCodec.shared().mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},"
        + "\"steps\":[\"sync-compose\",\"validate\",\"build-registry\",\"package-registry\"],\"targets\":\"all\"}"));

    By state = By.cssSelector("#pipelines tr[data-id='" + id + "'] td.state");
    wait.until(ExpectedConditions.textToBe(state, "succeeded"));
    assertThat(js.executeScript("return window.gardenMarker")).as("no reload").isEqualTo("the same page");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#events li[data-pipeline='" + id + "'][data-type='pipeline.finished']")));
    assertThat(browser.findElements(By.cssSelector("#events li[data-pipeline='" + id + "'][data-type='step.started']")))
        .as("the steps arrived live, one event at a time").isNotEmpty();

    // The list redraws its rows as events arrive (the other tests' pipelines too): a row found a moment ago may be
    // gone by the click, so find and click it again until the detail opens.
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
      driver.findElement(By.cssSelector("#pipelines tr[data-id='" + id + "']")).click();
      return true;
    });
    wait.until(ExpectedConditions.textToBe(By.id("detail-id"), id));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#detail-steps tbody tr"), 4));
    List<WebElement> steps = browser.findElements(By.cssSelector("#detail-steps tbody tr"));
    assertThat(steps).extracting(row -> row.findElement(By.tagName("td")).getText())
        .containsExactly("sync-compose", "validate", "build-registry", "package-registry");
    assertThat(steps).extracting(row -> row.findElements(By.tagName("td")).get(1).getText())
        .containsOnly("succeeded");
    assertThat(steps).extracting(row -> row.findElements(By.tagName("td")).get(2).getText())
        .allMatch(took -> took.matches("\\d+(\\.\\d)? m?s"), "a duration");
    assertThat(browser.findElement(By.id("detail-meta")).getText()).contains("asked by api:shared-token")
        .contains("from " + repo);
    assertThat(browser.findElement(By.id("detail-artifacts")).getText()).contains("kamiwaza-registry-");

    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#locks tbody tr"), 3));
    assertThat(browser.findElement(By.cssSelector("#locks tr[data-stage='dev'] td.state")).getText())
        .isEqualTo("free");

    screenshot("operator-page.png");
  }

  @Test
  @DisplayName("a prod publish waiting for approval shows its plan beside Approve and Reject; Approve runs it")
  void approveFromThePage() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(node.url() + "/");
    if (!browser.findElements(By.id("token")).isEmpty() && browser.findElement(By.id("token")).isDisplayed()) {
      login(node.token());
    }
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    assertThat(browser.findElement(By.id("signed-in")).getText()).isEqualTo("signed in as api:shared-token (admin)");
    String id = new GatewayClient(node.url(), alice).submit(EventCodec.shared().mapper().readTree("{\"source\":"
        + "{\"path\":\"" + repo + "\"},\"steps\":[\"publish-registry\"],\"targets\":\"all\",\"stage\":\"prod\"}"));
    By row = By.cssSelector("#pipelines tr[data-id='" + id + "']");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#pipelines tr[data-id='" + id + "'] td.state"),
        "awaiting-approval"));
    assertThat(browser.findElement(By.cssSelector("#pipelines tr[data-id='" + id + "']")).getText())
        .as("the row says whose run it is and where it goes").contains("api:alice · prod");
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
      driver.findElement(row).click();
      return true;
    });
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("approve")));
    String plan = browser.findElement(By.id("detail-approval")).getText();
    assertThat(plan).contains("Waiting for approval: publish-registry to prod", "asked by api:alice", "team-notes");
    assertThat(browser.findElement(By.id("reject")).isDisplayed()).isTrue();
    screenshot("operator-page-approval.png");
    browser.findElement(By.id("approve")).click();
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#pipelines tr[data-id='" + id + "'] td.state"),
        "succeeded"));
    assertThat(browser.findElement(By.id("action-result")).getText()).contains("approve: approved");

    // The release is in the stage's history on the page: who asked, who approved, what changed.
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("releases-stage"))).selectByVisibleText(
        "prod");
    browser.findElement(By.cssSelector("#releases-form button")).click();
    By release = By.cssSelector("#releases tr[data-id='" + id + "']");
    wait.until(ExpectedConditions.presenceOfElementLocated(release));
    assertThat(browser.findElement(release).getText()).contains("publish", "api:alice", "api:shared-token",
        "insert team-notes 1.4.2");
    screenshot("operator-page-releases.png");
  }

  @Test
  @DisplayName("a publish dry run shows its decision table on the pipeline")
  void publishDecisionTable() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    browser.get(node.url() + "/");
    if (!browser.findElements(By.id("token")).isEmpty() && browser.findElement(By.id("token")).isDisplayed()) {
      login(node.token());
    }
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));
    String id = client.submit(EventCodec.shared().mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},"
        + "\"steps\":[\"publish-registry\"],\"targets\":\"all\",\"stage\":\"dev\",\"options\":{\"dryRun\":true}}"));
    By row = By.cssSelector("#pipelines tr[data-id='" + id + "']");
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#pipelines tr[data-id='" + id + "'] td.state"),
        "succeeded"));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
      driver.findElement(row).click(); // found again if the list redrew it
      return true;
    });
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#detail-publishes table.decisions")));
    String table = browser.findElement(By.id("detail-publishes")).getText();
    assertThat(table).contains("Publish to dev (dry run)").contains("team-notes").contains("insert");
    screenshot("operator-page-publish.png");

    JsonNode view = client.pipeline(id);
    assertThat(view.path("publishes").get(0).path("decisions")).isNotEmpty();
  }

  @Test
  @DisplayName("a console: each run has its URL, rows open with the keyboard, a failed validate shows its findings on"
      + " the step, the feed keeps its history across filters, buttons follow the roles; axe-core finds no"
      + " violations on any view, at 1400 and at 390 px")
  void consoleViewsAreUsableAndAccessible() throws Exception {
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    Path kamiwaza = repo.resolve("tools/tool-websearch/kamiwaza.json");
    String original = Files.readString(kamiwaza);
    Files.writeString(kamiwaza, original.replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"one\""));
    String id;
    try {
      id = client.submit(EventCodec.shared().mapper().readTree("{\"source\":{\"path\":\"" + repo + "\"},"
          + "\"steps\":[\"validate\"],\"targets\":\"all\"}"));
      client.follow("pipeline=" + id + "&type=pipeline.finished", e -> e.type().equals("pipeline.finished"));
    } finally {
      Files.writeString(kamiwaza, original);
    }
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
    browser.get(node.url() + "/");
    if (!browser.findElements(By.id("token")).isEmpty() && browser.findElement(By.id("token")).isDisplayed()) {
      assertThat(axeViolations()).as("the login view").isEmpty();
      login(node.token());
    }
    wait.until(ExpectedConditions.textToBe(By.id("connection"), "live"));

    // Keyboard: Tab reaches the row, Enter opens it, and the URL names the run.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#pipelines tr[data-id='" + id + "']")));
    // The list is redrawn as events arrive: focus the row as it is now, then press Enter, until it opens.
    new WebDriverWait(browser, WAIT, Duration.ofSeconds(1)).until(driver -> {
      JavascriptExecutor js = (JavascriptExecutor) driver;
      js.executeScript("document.querySelector(\"#pipelines tr[data-id='\" + arguments[0] + \"']\").focus()", id);
      if (!id.equals(js.executeScript("return document.activeElement.getAttribute('data-id')"))) {
        return false;
      }
      new org.openqa.selenium.interactions.Actions(driver).sendKeys(org.openqa.selenium.Keys.ENTER).perform();
      return id.equals(driver.findElement(By.id("detail-id")).getText());
    });
    wait.until(ExpectedConditions.textToBe(By.id("detail-id"), id));
    assertThat(browser.getCurrentUrl()).endsWith("#pipeline=" + id);
    // Read inside the wait, found afresh each time: the detail redraws every second (live durations), and an
    // element found just before a redraw is stale when its text is asked for.
    String annotations = wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(driver -> {
      String text = driver.findElement(By.cssSelector("#detail-steps .annotations")).getText();
      return text.contains("manifest.version-format") ? text : null;
    });
    assertThat(annotations).contains("error").contains("tools/tool-websearch/kamiwaza.json:")
        .contains("manifest.version-format");
    assertThat(browser.findElement(By.id("retry")).isDisplayed()).as("the shared admin token may run").isTrue();
    assertThat(browser.findElement(By.id("cancel")).isDisplayed()).as("a finished run has no cancel").isFalse();
    assertThat(axeViolations()).as("the pipelines and detail view").isEmpty();
    screenshot("operator-console.png");

    // A run's URL opens it in a fresh page.
    browser.get(node.url() + "/#pipeline=" + id);
    browser.navigate().refresh();
    wait.until(ExpectedConditions.textToBe(By.id("detail-id"), id));

    // The feed keeps what it has seen when a filter changes, and comes back when the filter is cleared.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
        "#events li[data-pipeline='" + id + "'][data-type='pipeline.finished']")));
    int all = browser.findElements(By.cssSelector("#events li")).size();
    browser.findElement(By.id("filter-type")).sendKeys("pipeline.finished");
    browser.findElement(By.cssSelector("#filters button")).click();
    assertThat(browser.findElements(By.cssSelector("#events li"))).isNotEmpty()
        .allMatch(li -> "pipeline.finished".equals(li.getAttribute("data-type")));
    browser.findElement(By.id("filter-type")).clear();
    browser.findElement(By.cssSelector("#filters button")).click();
    assertThat(browser.findElements(By.cssSelector("#events li")).size()).isGreaterThanOrEqualTo(all);

    // A phone's width: nothing wider than the screen, and still no violations.
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
    Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(overflow).as("no sideways scrolling at 390 px").isLessThanOrEqualTo(0L);
    assertThat(axeViolations()).as("at 390 px").isEmpty();
    screenshot("operator-console-390.png");
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1400, 1000));
  }

  /** axe-core (vendored from npm in the test resources) run on the page as it is: each violation's id and where. */
  @SuppressWarnings("unchecked")
  private static List<String> axeViolations() throws Exception {
    String axe;
    try (var in = OperatorPageIT.class.getResourceAsStream("/axe/axe.min.js")) {
      axe = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript(axe);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations.map(v => v.id + ': '"
        + " + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))).catch(e => done(['axe failed: '"
        + " + e]));");
    return (List<String>) result;
  }

  private static void login(String token) {
    WebElement field = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(
        By.id("token")));
    field.clear();
    field.sendKeys(token);
    browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
  }

  private static void screenshot(String name) throws Exception {
    Path file = Path.of("target", name);
    Files.write(file, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    assertThat(Files.size(file)).isPositive();
  }
}
