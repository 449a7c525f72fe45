package io.habitat.site;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build wrote the site and where the repository is, as the pom passes them. */
final class BuiltSite {

  private BuiltSite() {}

  static Path output() {
    Path out = Path.of(System.getProperty("habitat.site.output", "target/site"));
    if (!Files.isRegularFile(out.resolve("index.html"))) {
      throw new IllegalStateException(
          out.toAbsolutePath()
              + " holds no index.html: the site is generated in the process-test-classes phase;"
              + " run the tests through Maven (./mvnw -pl site verify)");
    }
    return out.toAbsolutePath().normalize();
  }

  static Path root() {
    return Path.of(System.getProperty("habitat.site.root", "..")).toAbsolutePath().normalize();
  }
}
