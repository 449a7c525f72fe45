package io.habitat.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class paths of the member JVMs. Every contender but jgroups-raft runs from this module's
 * class path, without the jars of the other contenders' libraries (so that no contender loads
 * classes, or searches jars, that it does not use); jgroups-raft runs from the class path that
 * {@code benchmarks/raft-member} wrote when it was built.
 */
final class Classpaths {

  /** Jars of the Curator contender (Curator, ZooKeeper and what they bring). */
  static final List<String> CURATOR_JARS =
      List.of(
          "/org/apache/curator/",
          "/org/apache/zookeeper/",
          "/io/netty/",
          "/com/google/",
          "/io/dropwizard/",
          "/org/xerial/",
          "/commons-io/",
          "/org/apache/yetus/",
          "/org/checkerframework/");

  /** Jars only habitat's members use. */
  static final List<String> HABITAT_JARS =
      List.of("/io/habitat/habitat-jgroups/", "/habitat-jgroups/target/");

  /** JGroups. */
  static final List<String> JGROUPS_JARS = List.of("/org/jgroups/");

  private Classpaths() {}

  /** The entries of {@code classpath} that contain none of the fragments. */
  static String without(String classpath, List<String> fragments) {
    List<String> kept = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator, -1)) {
      String normal = entry.replace(File.separatorChar, '/');
      if (!entry.isEmpty() && fragments.stream().noneMatch(normal::contains)) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  /** The class path of the members of a contender. */
  static String of(Contender contender, String own, Path raftClasspathFile) {
    return switch (contender) {
      case HABITAT -> without(own, CURATOR_JARS);
      case JGROUPS, JGROUPS_TUNED -> without(own, concat(CURATOR_JARS, HABITAT_JARS));
      case CURATOR, CURATOR_5S -> without(own, concat(JGROUPS_JARS, HABITAT_JARS));
      case JGROUPS_RAFT -> raft(raftClasspathFile);
    };
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * The raft member's classes ({@code target/classes} next to the file) and the jars listed in the
   * file.
   *
   * @throws IllegalStateException if the file is missing, saying how to make it
   */
  static String raft(Path file) {
    Path classes = file.toAbsolutePath().resolveSibling("classes");
    if (!Files.isRegularFile(file) || !Files.isDirectory(classes)) {
      throw new IllegalStateException(
          "the jgroups-raft member is not built ("
              + file
              + " or "
              + classes
              + " is missing): run ./mvnw -B -q install -DskipTests first, or leave jgroups-raft"
              + " out with --contenders");
    }
    try {
      String jars = Files.readString(file, StandardCharsets.UTF_8).trim();
      return classes + (jars.isEmpty() ? "" : File.pathSeparator + jars);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * This module's class path: the entries of the loader that loaded this class when it is a URL
   * class loader (as under {@code exec:java}, where {@code java.class.path} is Maven's own), else
   * {@code java.class.path}.
   */
  static String own() {
    ClassLoader loader = Classpaths.class.getClassLoader();
    if (loader instanceof URLClassLoader urls && urls.getURLs().length > 0) {
      List<String> entries = new ArrayList<>();
      for (URL url : urls.getURLs()) {
        try {
          entries.add(Path.of(url.toURI()).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
          throw new IllegalStateException("class path entry " + url + " is not a file", e);
        }
      }
      return String.join(File.pathSeparator, entries);
    }
    return System.getProperty("java.class.path", "");
  }
}
