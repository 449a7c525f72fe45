package io.habitat.samples.initializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The initializer sample end to end, over real JGroups channels in one JVM: followers finish
 * start-up only after the leader created the initial data set, copy it, follow the leader's writes,
 * refuse writes themselves, and copy from the new leader after the old one left.
 */
class InitializerDemoTest {

  @Test
  void followersWaitForTheLeadersInitCopyItAndFollowEveryLeader() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String last = InitializerDemo.run(out);
    String text = bytes.toString(StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();

    // 4 seeded keys + city + weather, 6 writes; the new leader is in a later term.
    assertThat(last)
        .matches("initializer: members=3 leader=n[1-3] term=[2-9]\\d* keys=6 version=6");

    int init = indexOf(lines, "init: created the initial data set (4 keys)");
    assertThat(init).as("the leader's init hook ran once").isNotNegative();
    assertThat(lines.stream().filter(l -> l.contains("init: created")).count()).isEqualTo(1);
    Matcher initLine = Pattern.compile("(n\\d) init: created").matcher(lines.get(init));
    assertThat(initLine.find()).isTrue();
    String first = initLine.group(1);
    for (String line : lines) {
      if (line.contains(" ready: the group is initialised") && !line.contains(first + " ready")) {
        assertThat(lines.indexOf(line))
            .as("a follower finished start-up only after the leader's init: %s", line)
            .isGreaterThan(init);
      }
    }
    assertThat(text)
        .contains("copied 4 keys (version 4) from " + first)
        .contains("copied change 5: city=Lisbon")
        .contains("409 {\"error\":")
        .contains("does not lead; only the leader takes writes")
        .contains("reconfigured: copied 5 keys (version 5) from ")
        .contains("copied change 6: weather=sunny");
  }

  private static int indexOf(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }
}
