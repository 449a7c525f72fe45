package io.habitat.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.InitHook;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * A {@code habitat.*} value the library refuses fails start-up before anything joins a ring, and
 * Spring Boot's failure report names the property, says what was wrong and what to do.
 */
class InvalidPropertiesTest {

  private static final String KEY = "c2VjcmV0LWtleS1uZXZlci10by1iZS1wcmludGVkCg==";

  private final Path dir;

  private final ApplicationContextRunner runner;

  InvalidPropertiesTest(@TempDir Path dir) {
    this.dir = dir;
    this.runner =
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HabitatAutoConfiguration.class))
            .withPropertyValues(
                "habitat.startup.auto-startup=false",
                "habitat.service.name=orders",
                "habitat.data-directory=" + dir);
  }

  private ContextConsumer<AssertableApplicationContext> failsOn(String property, String... reason) {
    return context -> {
      assertThat(context).hasFailed();
      FailureAnalysis analysis = analyze(context);
      assertThat(analysis.getDescription()).contains("'" + property + "'").contains(reason);
      assertThat(analysis.getAction()).isNotBlank();
    };
  }

  @Test
  void aServiceNameWithABlankFailsNamingTheProperty() {
    runner
        .withPropertyValues("habitat.service.name=my orders")
        .run(failsOn("habitat.service.name", "'my orders'", "ASCII letters"));
  }

  @Test
  void anApplicationNameThatIsNoServiceNameFailsNamingIt() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HabitatAutoConfiguration.class))
        .withPropertyValues(
            "habitat.startup.auto-startup=false",
            "spring.application.name=My Shop",
            "habitat.data-directory=" + dir)
        .run(failsOn("spring.application.name", "My Shop"));
  }

  @Test
  void noServiceNameAtAllFailsSayingWhatToSet() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(HabitatAutoConfiguration.class))
        .withPropertyValues("habitat.startup.auto-startup=false", "habitat.data-directory=" + dir)
        .run(
            context -> {
              failsOn("habitat.service.name", "no service name").accept(context);
              FailureAnalysis analysis = analyze(context);
              assertThat(analysis.getAction()).contains("spring.application.name");
            });
  }

  @Test
  void aMemberIdWithABadCharacterFails() {
    runner
        .withPropertyValues("habitat.service.member-id=orders/0")
        .run(failsOn("habitat.service.member-id", "orders/0"));
  }

  @Test
  void aHealthIntervalOutOfBoundsFails() {
    runner
        .withPropertyValues("habitat.service.health-interval=1ms")
        .run(failsOn("habitat.service.health-interval", "between 10 ms"));
  }

  @Test
  void aBootstrapSizeOfZeroFails() {
    runner
        .withPropertyValues("habitat.service.bootstrap-size=0")
        .run(failsOn("habitat.service.bootstrap-size", "between 1 and 1024"));
  }

  @Test
  void anInitRetryMaxBelowItsMinFails() {
    runner
        .withPropertyValues(
            "habitat.service.init-retry-min=10s", "habitat.service.init-retry-max=1s")
        .run(failsOn("habitat.service.init-retry-min", "must not be below min"));
  }

  @Test
  void aBindWithoutAGroupFails() {
    runner
        .withPropertyValues("habitat.service.binds.database.strict=true")
        .run(failsOn("habitat.service.binds.database.group", "names no group"));
  }

  @Test
  void aBadRingNameFails() {
    runner
        .withPropertyValues("habitat.ring.name=my ring")
        .run(failsOn("habitat.ring.name", "'my ring'"));
  }

  @Test
  void theTcpPresetWithoutInitialHostsFails() {
    runner
        .withPropertyValues("habitat.ring.preset=tcp", "habitat.ring.bind-address=127.0.0.1")
        .run(failsOn("habitat.ring.initial-hosts", "tcp preset needs the members"));
  }

  @Test
  void aPresetAndAStackTogetherFail() {
    runner
        .withPropertyValues("habitat.ring.preset=lan", "habitat.ring.stack=classpath:jgroups.xml")
        .run(failsOn("habitat.ring.stack", "both habitat.ring.preset and habitat.ring.stack"));
  }

  @Test
  void aRingKeyThatIsNotBase64FailsWithoutPrintingIt() {
    String notBase64 = "this-is-not-base64-and-is-secret!!";
    runner
        .withPropertyValues("habitat.ring.key=" + notBase64)
        .run(
            context -> {
              failsOn("habitat.ring.key", "not base64").accept(context);
              FailureAnalysis analysis = analyze(context);
              assertThat(analysis.getDescription()).doesNotContain(notBase64);
              assertThat(context.getStartupFailure()).hasStackTraceContaining("not base64");
              assertThat(stackTrace(context.getStartupFailure())).doesNotContain(notBase64);
            });
  }

  @Test
  void aShortRingKeyFails() {
    runner
        .withPropertyValues("habitat.ring.key=c2hvcnQ=")
        .run(failsOn("habitat.ring.key", "5 bytes, fewer than 32"));
  }

  @Test
  void twoRingKeysFail() {
    runner
        .withPropertyValues(
            "habitat.ring.key=" + KEY, "habitat.ring.passphrase=a long enough phrase")
        .run(failsOn("habitat.ring.passphrase", "more than one ring key"));
  }

  @Test
  void crossedTimingBoundsFail() {
    runner
        .withPropertyValues("habitat.timing.leader-lease=2s")
        .run(failsOn("habitat.timing", "leaderLease", "confirmAfter"));
  }

  @Test
  void anInitHookOutsideTheInitializerTopologyFails() {
    runner
        .withPropertyValues("habitat.service.topology=leader")
        .withBean(InitHook.class, () -> leadership -> {})
        .run(
            context -> {
              failsOn("habitat.service.topology", "InitHook").accept(context);
              assertThat(analyze(context).getAction())
                  .contains("habitat.service.topology=initializer");
            });
  }

  @Test
  void anUnknownTopologyFailsInSpringBootsOwnBinding() {
    runner
        .withPropertyValues("habitat.service.topology=follower")
        .run(
            context -> {
              assertThat(context).hasFailed();
              assertThat(context.getStartupFailure())
                  .hasStackTraceContaining("habitat.service.topology");
            });
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  @ExtendWith(OutputCaptureExtension.class)
  void springBootsFailureReportNamesThePropertyAndTheAction(CapturedOutput output) {
    SpringApplicationBuilder app =
        new SpringApplicationBuilder(App.class)
            .web(WebApplicationType.NONE)
            .properties(
                "spring.main.register-shutdown-hook=false",
                "habitat.service.name=orders",
                "habitat.service.member-id=orders/0",
                "habitat.data-directory=" + dir);
    assertThatThrownBy(app::run).hasRootCauseInstanceOf(IllegalArgumentException.class);
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Habitat property 'habitat.service.member-id' = 'orders/0' is not usable")
        .contains("Change habitat.service.member-id to a value the reason above allows");
  }

  private static FailureAnalysis analyze(AssertableApplicationContext context) {
    Throwable failure = Objects.requireNonNull(context.getStartupFailure(), "no start-up failure");
    return Objects.requireNonNull(
        new HabitatFailureAnalyzer().analyze(failure), () -> "no analysis of " + failure);
  }

  private static String stackTrace(@Nullable Throwable t) {
    if (t == null) {
      return "";
    }
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
