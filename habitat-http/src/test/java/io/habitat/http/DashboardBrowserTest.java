package io.habitat.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.habitat.core.MemberId;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium, over a real group of three members on JGroups loopback
 * channels, served by a follower's gateway (the quickstart's case): it shows the leader, and when
 * the leader crashes it shows the new one with the failover banner and the new leader's row
 * flashing. Screenshots go to {@code target/dashboard-before.png} and {@code
 * target/dashboard-failover.png}.
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian: {@code apt-get
 * install chromium chromium-driver}; other paths with {@code -Dhabitat.chromium=...} and {@code
 * -Dhabitat.chromedriver=...}). Without them the test is skipped with a warning, unless {@code
 * -Dhabitat.browser.required=true} or the environment variable {@code
 * HABITAT_BROWSER_REQUIRED=true} (CI sets it) makes that a failure.
 */
class DashboardBrowserTest {

  private static final ServiceGroup SHOP = ServiceGroup.parse("shop.main");
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final Path CHROMIUM =
      Path.of(System.getProperty("habitat.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("habitat.chromedriver", "/usr/bin/chromedriver"));

  // per test rather than @BeforeAll, so that a skip is counted in the build's summary
  @BeforeEach
  void aBrowserIsInstalled() {
    List<String> missing = new ArrayList<>();
    for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(p)) {
        missing.add(p.toString());
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    String message =
        "the dashboard's browser test needs Chromium and chromedriver, and "
            + missing
            + " is missing (Debian: apt-get install chromium chromium-driver; or point"
            + " -Dhabitat.chromium and -Dhabitat.chromedriver at them)";
    if (browserRequired()) {
      Assertions.fail(
          message
              + "; the browser is required here (habitat.browser.required /"
              + " HABITAT_BROWSER_REQUIRED)");
    }
    System.err.println();
    System.err.println("WARNING: SKIPPING DashboardBrowserTest: " + message);
    System.err.println();
    Assumptions.abort(message);
  }

  private static boolean browserRequired() {
    return Boolean.getBoolean("habitat.browser.required")
        || "true".equalsIgnoreCase(System.getenv("HABITAT_BROWSER_REQUIRED"));
  }

  @Test
  void theDashboardShowsTheLeaderAndHighlightsTheFailoverWhenTheLeaderCrashes(@TempDir Path dir)
      throws IOException {
    try (LoopbackRing ring = new LoopbackRing(dir)) {
      List<Service> shop = new ArrayList<>();
      List<Supervisor> supervisors = new ArrayList<>();
      for (String name : List.of("a", "b", "c")) {
        Supervisor s = ring.supervisor(name);
        supervisors.add(s);
        shop.add(
            s.register(
                ServiceConfig.builder(SHOP)
                    .topology(Topology.LEADER)
                    .memberId(MemberId.of(name))
                    .suitability(name.charAt(0) - 'a' + 1L)
                    .exports(Map.of("host", "127.0.0.1", "port", "808" + name.charAt(0)))
                    .build()));
      }
      // the gateway of a follower, as in the quickstart
      try (HabitatGateway gateway = HabitatGateway.builder(supervisors.get(0)).port(0).start()) {
        ring.startAll();
        LoopbackRing.awaitLeader(shop, "c");
        browse(gateway, ring, shop.get(1), dir.resolve("chromium-profile"));
      }
    }
  }

  private static void browse(HabitatGateway gateway, LoopbackRing ring, Service b, Path profile)
      throws IOException {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile);
    WebDriver driver = new ChromeDriver(service, options);
    try {
      WebDriverWait wait = new WebDriverWait(driver, BOUND);
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(gateway.uri().toString());

      wait.until(d -> leaderShown(d).equals("c") && connection(d).equals("live"));
      assertThat(rowClasses(driver, "c")).contains("leader");
      assertThat(rowClasses(driver, "a")).contains("self");
      assertThat(driver.findElements(By.cssSelector("#banners .banner"))).isEmpty();
      screenshot(driver, "dashboard-before.png");

      ring.crash("c");

      wait.until(d -> leaderShown(d).equals("b"));
      String term = b.census().term().toString();
      wait.until(
          d ->
              bannerText(d).contains("failover: c -> b in term " + term)
                  && rowClasses(d, "b").contains("flash"));
      assertThat(rowClasses(driver, "b")).contains("leader");
      // the banner has slid in (its entry animation ends at full opacity)
      wait.until(
          d ->
              "1"
                  .equals(
                      String.valueOf(
                          ((JavascriptExecutor) d)
                              .executeScript(
                                  "const b = document.querySelector('#banners .banner');"
                                      + " return b ? getComputedStyle(b).opacity : '0';"))));
      screenshot(driver, "dashboard-failover.png");
      wait.until(d -> text(d, "#log li.failover").contains("failover c -> b"));

      // the polling fallback shows the same
      driver.get(gateway.uri().resolve("/?mode=poll").toString());
      wait.until(d -> leaderShown(d).equals("b") && connection(d).startsWith("polling"));
    } finally {
      driver.quit();
      service.stop();
    }
  }

  // Each read is one script, so the page cannot rebuild its table halfway through a read.

  private static String leaderShown(WebDriver d) {
    return text(d, "[data-group='shop.main'] dd[data-field='leader']");
  }

  private static String connection(WebDriver d) {
    return text(d, "#connection");
  }

  private static String bannerText(WebDriver d) {
    return text(d, "#banners .banner .text");
  }

  private static String rowClasses(WebDriver d, String member) {
    Object classes =
        ((JavascriptExecutor) d)
            .executeScript(
                "const e = document.querySelector(arguments[0]);"
                    + " return e ? e.getAttribute('class') || '' : '';",
                "[data-group='shop.main'] tr[data-member='" + member + "']");
    return String.valueOf(classes);
  }

  private static String text(WebDriver d, String css) {
    Object text =
        ((JavascriptExecutor) d)
            .executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                css);
    return String.valueOf(text);
  }

  private static void screenshot(WebDriver driver, String file) throws IOException {
    Path target = Path.of(System.getProperty("basedir", ".")).resolve("target");
    Files.createDirectories(target);
    Files.write(target.resolve(file), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }
}
