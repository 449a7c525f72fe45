package io.habitat.samples.initializer;

import io.habitat.core.Census;
import io.habitat.test.process.FreePorts;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Shows the initializer topology with three {@link KvNode}s in this JVM, each with its own JGroups
 * channel on 127.0.0.1: the first leader creates the initial data set while the followers wait;
 * they copy it once the group is initialised; a write on the leader reaches them; a write on a
 * follower is refused with the leader's address; the leader leaves, and the followers copy from the
 * new leader and follow it. Ends with one line:
 *
 * <pre>
 * initializer: members=3 leader=&lt;id&gt; term=&lt;term&gt; keys=&lt;n&gt; version=&lt;v&gt;
 * </pre>
 *
 * <p>Exits with 0 on success, 1 with the reason otherwise; every wait is bounded by {@link #WAIT};
 * every node is closed before it returns.
 */
public final class InitializerDemo {

  /** How long each step may take at most. */
  static final Duration WAIT = Duration.ofSeconds(30);

  private static final int MEMBERS = 3;
  private static final int PORTS = 10;

  private InitializerDemo() {}

  /** Runs the demo; see the class comment. */
  public static void main(String[] args) {
    int status = 0;
    try {
      System.out.println(run(System.out));
    } catch (RuntimeException e) {
      System.out.flush();
      System.err.println("initializer demo failed: " + e.getMessage());
      status = 1;
    }
    System.exit(status);
  }

  /** Runs the demo, printing to {@code out}; returns the last line. */
  static String run(PrintStream out) {
    Path data;
    try {
      data = Files.createTempDirectory("habitat-kv-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
    int base = FreePorts.block(PORTS);
    String ring = "kv-" + base;
    long t0 = System.currentTimeMillis();
    List<KvNode> nodes = new ArrayList<>();
    HttpClient http = HttpClient.newHttpClient();
    try {
      out.printf(
          Locale.ROOT, "starting %d key-value nodes of kv.demo (initializer topology)%n", MEMBERS);
      for (int i = 1; i <= MEMBERS; i++) {
        nodes.add(
            KvNode.start(
                "n" + i,
                ring,
                base,
                PORTS,
                data.resolve("n" + i),
                0,
                line -> {
                  out.printf(
                      Locale.ROOT,
                      "  +%6.3fs %s%n",
                      (System.currentTimeMillis() - t0) / 1000.0,
                      line);
                  changed();
                }));
      }
      for (KvNode n : nodes) {
        try {
          n.service().awaitReady(WAIT);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for start-up", e);
        }
      }
      KvNode leader = leaderOf(nodes);
      await("every follower copied the initial data set", () -> converged(nodes, leader));
      out.println();
      table(out, nodes);

      out.println();
      out.printf(Locale.ROOT, "== PUT /kv/city=Lisbon on the leader %s%n", leader.name());
      out.println("  -> " + put(http, leader, "city", "Lisbon"));
      await("the write reached every follower", () -> converged(nodes, leader));
      KvNode follower = nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
      out.printf(Locale.ROOT, "== PUT /kv/city=Porto on the follower %s%n", follower.name());
      out.println("  -> " + put(http, follower, "city", "Porto"));

      out.println();
      out.printf(Locale.ROOT, "== the leader %s leaves (it hands over first)%n", leader.name());
      long term = leader.service().census().term().value();
      leader.close();
      List<KvNode> survivors = nodes.stream().filter(n -> n != leader).collect(Collectors.toList());
      await(
          "a new leader among the survivors",
          () -> survivors.stream().anyMatch(n -> n.service().isLeader()));
      KvNode next = leaderOf(survivors);
      await(
          "the other survivor follows " + next.name(),
          () ->
              survivors.stream()
                      .filter(n -> n != next)
                      .allMatch(
                          n ->
                              n.following()
                                  .map(
                                      f ->
                                          f.id().value().equals(next.name())
                                              && f.term().value() > term)
                                  .orElse(false))
                  && converged(survivors, next));
      out.printf(Locale.ROOT, "== PUT /kv/weather=sunny on the new leader %s%n", next.name());
      out.println("  -> " + put(http, next, "weather", "sunny"));
      await("the write reached the other survivor", () -> converged(survivors, next));
      out.println();
      table(out, survivors);
      Census c = next.service().census();
      return String.format(
          Locale.ROOT,
          "initializer: members=%d leader=%s term=%d keys=%d version=%d",
          MEMBERS,
          next.name(),
          c.term().value(),
          next.values().size(),
          next.version());
    } finally {
      for (KvNode n : nodes) {
        n.close();
      }
      deleteQuietly(data);
    }
  }

  private static KvNode leaderOf(List<KvNode> nodes) {
    return nodes.stream()
        .filter(n -> n.service().isLeader())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node leads"));
  }

  private static boolean converged(List<KvNode> nodes, KvNode leader) {
    return nodes.stream()
        .allMatch(n -> n.values().equals(leader.values()) && n.version() == leader.version());
  }

  /** Woken by every event of every node: the conditions below change with them. */
  private static final Object CHANGED = new Object();

  private static void changed() {
    synchronized (CHANGED) {
      CHANGED.notifyAll();
    }
  }

  /**
   * Waits until the condition holds, looking again at every node event and at least every 50 ms
   * (leadership changes without an event of the node).
   */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (CHANGED) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("not within " + WAIT + ": " + what);
        }
        try {
          CHANGED.wait(Math.max(1, Math.min(50, left / 1_000_000)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting: " + what, e);
        }
      }
    }
  }

  private static String put(HttpClient http, KvNode node, String key, String value) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + "/kv/" + key))
            .PUT(HttpRequest.BodyPublishers.ofString(value))
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void table(PrintStream out, List<KvNode> nodes) {
    String format = "  %-5s %-9s %-5s %-8s %s%n";
    out.printf(Locale.ROOT, format, "node", "role", "term", "version", "data");
    for (KvNode n : nodes) {
      Census c = n.service().census();
      out.printf(
          Locale.ROOT,
          format,
          n.name(),
          c.role().configName(),
          c.term().value(),
          n.version(),
          n.values());
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }
}
