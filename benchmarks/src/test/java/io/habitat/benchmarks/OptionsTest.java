package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

  @Test
  void theDefaultsAreFiveRunsOfEveryScenarioAndContenderWithAMinuteIdle() {
    Options o = Options.parse();
    assertThat(o.reps()).isEqualTo(5);
    assertThat(o.scenarios()).isEqualTo(Options.SCENARIOS);
    assertThat(o.contenders()).isEqualTo(Contender.all());
    assertThat(o.idle()).isEqualTo(Duration.ofSeconds(60));
    assertThat(o.quick()).isFalse();
  }

  @Test
  void quickIsThreeRunsAndAShorterIdleWindow() {
    Options o = Options.parse("--quick");
    assertThat(o.reps()).isEqualTo(3);
    assertThat(o.idle()).isEqualTo(Duration.ofSeconds(15));
    assertThat(Options.parse("--quick", "--idle", "5").idle()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void scenariosKeepTheirRunOrderAndContendersAlwaysIncludeHabitatFirst() {
    Options o =
        Options.parse(
            "--reps", "2", "--scenarios", "start,kill-9", "--contenders", "curator,jgroups");
    assertThat(o.reps()).isEqualTo(2);
    assertThat(o.scenarios()).containsExactly("kill-9", "start");
    assertThat(o.contenders())
        .containsExactly(Contender.HABITAT, Contender.JGROUPS, Contender.CURATOR);
    assertThat(o.anyProcessScenario()).isTrue();
    assertThat(Options.parse("--scenarios", "messages,ring-100").anyProcessScenario()).isFalse();
  }

  @Test
  void badInputSaysWhatWasWrongAndWhatIsAccepted() {
    assertThatThrownBy(() -> Options.parse("--reps", "0"))
        .hasMessageContaining("--reps needs a whole number of at least 1, was '0'");
    assertThatThrownBy(() -> Options.parse("--reps")).hasMessageContaining("--reps needs a value");
    assertThatThrownBy(() -> Options.parse("--scenarios", "kill"))
        .hasMessageContaining("unknown scenario 'kill'")
        .hasMessageContaining("kill-9,kill-stop,close,start");
    assertThatThrownBy(() -> Options.parse("--contenders", "etcd"))
        .hasMessageContaining("unknown contender 'etcd'")
        .hasMessageContaining("jgroups-raft");
    assertThatThrownBy(() -> Options.parse("--quick", "--reps", "7"))
        .hasMessageContaining("either --quick or --reps");
    assertThatThrownBy(() -> Options.parse("--runs", "3"))
        .hasMessageContaining("unknown option --runs");
  }

  @Test
  void everyContenderIdParsesBackToItself() {
    for (Contender c : Contender.all()) {
      assertThat(Contender.parse(c.id())).isEqualTo(c);
    }
    assertThat(Contender.all().stream().filter(Contender::peerAtDefaults).map(Contender::id))
        .isEqualTo(List.of("jgroups", "curator", "jgroups-raft"));
  }
}
