package io.habitat.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathsTest {

  private static final String CP =
      String.join(
          File.pathSeparator,
          "/w/benchmarks/target/classes",
          "/m2/io/habitat/habitat-jgroups/0.1/habitat-jgroups-0.1.jar",
          "/m2/org/jgroups/jgroups/5.5.7/jgroups-5.5.7.jar",
          "/m2/org/apache/curator/curator-recipes/5.9.0/curator-recipes-5.9.0.jar",
          "/m2/io/netty/netty-handler/4.1/netty-handler-4.1.jar");

  @Test
  void eachContenderGetsOnlyTheJarsOfItsOwnLibrary() {
    Path none = Path.of("/nonexistent");
    assertThat(Classpaths.of(Contender.HABITAT, CP, none).split(File.pathSeparator))
        .containsExactly(
            "/w/benchmarks/target/classes",
            "/m2/io/habitat/habitat-jgroups/0.1/habitat-jgroups-0.1.jar",
            "/m2/org/jgroups/jgroups/5.5.7/jgroups-5.5.7.jar");
    assertThat(Classpaths.of(Contender.JGROUPS, CP, none).split(File.pathSeparator))
        .containsExactly(
            "/w/benchmarks/target/classes", "/m2/org/jgroups/jgroups/5.5.7/jgroups-5.5.7.jar");
    assertThat(Classpaths.of(Contender.CURATOR, CP, none).split(File.pathSeparator))
        .containsExactly(
            "/w/benchmarks/target/classes",
            "/m2/org/apache/curator/curator-recipes/5.9.0/curator-recipes-5.9.0.jar",
            "/m2/io/netty/netty-handler/4.1/netty-handler-4.1.jar");
  }

  @Test
  void theRaftClasspathIsItsClassesAndTheListedJars(@TempDir Path target) throws Exception {
    Path file = target.resolve("raft-member.classpath");
    assertThatThrownBy(() -> Classpaths.raft(file))
        .hasMessageContaining("the jgroups-raft member is not built")
        .hasMessageContaining("./mvnw -B -q install -DskipTests");
    Files.createDirectories(target.resolve("classes"));
    Files.writeString(file, "/m2/a.jar" + File.pathSeparator + "/m2/b.jar\n");
    assertThat(Classpaths.raft(file).split(File.pathSeparator))
        .isEqualTo(
            List.of(target.resolve("classes").toString(), "/m2/a.jar", "/m2/b.jar")
                .toArray(new String[0]));
  }
}
