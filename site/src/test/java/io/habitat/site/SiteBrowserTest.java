package io.habitat.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.PageLoadStrategy;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The built site in headless Chromium, served from 127.0.0.1 by the JDK's HTTP server: starting at
 * index.html, it follows every link to a page of the site or an anchor on one (links into the
 * Javadoc are opened, not crawled further), and fails on a page the server does not have or an
 * anchor the page lacks. It also opens the site from {@code file://} and checks that the style
 * sheet and the drawings render.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian's {@code chromium}
 * and {@code chromium-driver}; other paths with {@code -Dhabitat.chromium} and {@code
 * -Dhabitat.chromedriver}). Without them the test is skipped with a loud message, unless {@code
 * habitat.browser.required} (or the environment variable {@code HABITAT_BROWSER_REQUIRED}) is
 * {@code true}: then it fails.
 */
class SiteBrowserTest {

  private static Path site;

  // Set by start() when the browser is there; the tests do not run when it is not.
  @SuppressWarnings("NullAway.Init")
  private static StaticServer server;

  @SuppressWarnings("NullAway.Init")
  private static ChromeDriver driver;

  private static @Nullable String missing;

  /**
   * Selenium warns that it has no DevTools support for this Chromium version; the test uses
   * WebDriver only. Held here so the level is not lost when the logger is collected.
   */
  private static final Logger DEVTOOLS_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  private final Map<String, String> referrer = new HashMap<>();

  @BeforeAll
  static void start(@TempDir Path profile) throws IOException {
    site = BuiltSite.output();
    File chromium = new File(System.getProperty("habitat.chromium", "/usr/bin/chromium"));
    File chromedriver =
        new File(System.getProperty("habitat.chromedriver", "/usr/bin/chromedriver"));
    if (!chromium.canExecute() || !chromedriver.canExecute()) {
      String message =
          "SiteBrowserTest needs "
              + chromium
              + " and "
              + chromedriver
              + " (apt-get install -y chromium chromium-driver)";
      String required =
          System.getProperty("habitat.browser.required", System.getenv("HABITAT_BROWSER_REQUIRED"));
      if (Boolean.parseBoolean(required)) {
        fail(message + "; habitat.browser.required is true");
      }
      System.err.println();
      System.err.println("*".repeat(100));
      System.err.println("* SKIPPED: " + message);
      System.err.println("* The site's links were checked without a browser only (SiteLinksTest).");
      System.err.println("* Set HABITAT_BROWSER_REQUIRED=true to make a missing browser fail.");
      System.err.println("*".repeat(100));
      missing = message;
      return;
    }
    DEVTOOLS_LOG.setLevel(Level.SEVERE);
    server = new StaticServer(site);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    // Links and ids are in the document: no need to wait for images and scripts of the Javadoc.
    options.setPageLoadStrategy(PageLoadStrategy.EAGER);
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver)
            .usingAnyFreePort()
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  @BeforeEach
  void needsTheBrowser() {
    Assumptions.assumeTrue(missing == null, () -> "skipped: " + missing);
  }

  @AfterAll
  static void stop() {
    if (driver != null) {
      driver.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void everyInternalLinkOpensAPageWithItsAnchor() {
    String base = server.base();
    Deque<String> queue = new ArrayDeque<>(List.of(base + "index.html"));
    Set<String> seen = new LinkedHashSet<>(queue);
    List<String> broken = new ArrayList<>();
    int pagesCrawled = 0;
    while (!queue.isEmpty()) {
      String url = queue.poll();
      driver.get(url);
      String path = url.substring(base.length() - 1).replaceAll("#.*", "");
      if (server.notFound().contains(path) || driver.getTitle().startsWith("404")) {
        broken.add(url + " is not in the site (linked from " + referrers(url) + ")");
        continue;
      }
      int hash = url.indexOf('#');
      if (hash >= 0 && !hasAnchor()) {
        broken.add(url + ": no element with id '" + url.substring(hash + 1) + "'");
      }
      if (hash >= 0 || path.startsWith("/apidocs/")) {
        continue;
      }
      pagesCrawled++;
      for (String href : links()) {
        if (href.startsWith(base) && seen.add(href)) {
          referrer.put(href, url);
          queue.add(href);
        }
      }
    }
    assertThat(broken).as("broken links").isEmpty();
    assertThat(pagesCrawled).as("pages crawled").isGreaterThan(25);
    assertThat(seen).anyMatch(u -> u.contains("/apidocs/"));
  }

  @Test
  void theSiteWorksFromFileUrlsWithItsStyleAndDrawings() throws IOException {
    driver.get(site.resolve("election.html").toUri().toString());
    JavascriptExecutor js = driver;
    Object sidebar =
        js.executeScript("return getComputedStyle(document.querySelector('nav.sidebar')).position");
    assertThat(sidebar).as("the style sheet's layout applies").isNotEqualTo("static");
    Object drawingWidth =
        js.executeScript(
            "var s = document.querySelectorAll('figure.diagram svg');"
                + " var w = []; s.forEach(function (e) { w.push(e.getBoundingClientRect().width); });"
                + " return w;");
    assertThat((List<?>) drawingWidth)
        .as("the election drawings have a size")
        .isNotEmpty()
        .allSatisfy(w -> assertThat(((Number) w).doubleValue()).isGreaterThan(200));
    Path shot = Path.of("target", "election-page.png");
    Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    driver.findElement(By.cssSelector("nav.sidebar a[href='quickstart.html']")).click();
    assertThat(driver.getCurrentUrl()).startsWith("file:").endsWith("/quickstart.html");
    assertThat(driver.getTitle().toLowerCase(Locale.ROOT)).startsWith("quickstart");
  }

  private String referrers(String url) {
    return referrer.getOrDefault(url, "the start");
  }

  private static boolean hasAnchor() {
    return Boolean.TRUE.equals(
        driver.executeScript(
            "var id = decodeURIComponent(location.hash.substring(1));"
                + " return document.getElementById(id) !== null"
                + " || document.getElementsByName(id).length > 0;"));
  }

  private static List<String> links() {
    Object hrefs =
        driver.executeScript(
            "return Array.from(document.querySelectorAll('a[href]'), function (a) { return a.href; });");
    List<String> out = new ArrayList<>();
    for (Object h : (List<?>) java.util.Objects.requireNonNull(hrefs)) {
      out.add(String.valueOf(h));
    }
    return out;
  }
}
