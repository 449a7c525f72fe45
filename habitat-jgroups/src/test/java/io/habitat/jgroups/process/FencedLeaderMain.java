package io.habitat.jgroups.process;

import io.habitat.core.Census;
import io.habitat.core.HabitatException;
import io.habitat.core.LeaderContext;
import io.habitat.core.MemberId;
import io.habitat.core.MemberState;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.ServiceListener;
import io.habitat.core.Supervisor;
import io.habitat.core.Term;
import io.habitat.core.Topology;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.jgroups.Preset;
import io.habitat.test.process.ChildProcess;
import io.habitat.test.process.FencedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One member of a leader-topology group in its own JVM, whose leader writes to a shared {@link
 * FencedLog} with its term for as long as {@link LeaderContext#isLeader()} holds.
 *
 * <pre>
 * FencedLeaderMain NAME RING BASE_PORT PORTS DATA_DIR LOG_FILE SUITABILITY
 * </pre>
 *
 * <p>The ring is the loopback preset on the given port block; the group {@code fenced.test} needs
 * three members to bootstrap; the member ranks by its suitability, then its name. When elected, the
 * member starts a writer thread that, while {@code isLeader()} is true, appends a record of its
 * term every 20 ms; the {@code onRevoked} hook stops it and waits for it, so the writer has stopped
 * before the revocation is reported (and, on a hand-off, before a successor may claim).
 *
 * <p>Events: {@code started member=NAME}; {@code census leader=ID term=T members=a,b voters=a,b,c}
 * when the member's view of them changes; {@code elected term=T member=NAME}; {@code first-write
 * term=T sequence=S} for the writer's first accepted record of a term; {@code write-rejected term=T
 * sequence=S highest=H} for every append the log rejected; {@code writer-stopped term=T accepted=A
 * rejected=R}; {@code revoked term=T member=NAME}; {@code stale-write term=T accepted=B highest=H}
 * in answer to the command {@code stale-write}, which appends once with the last term this member
 * led, whether it leads or not (a write that was in flight when leadership ended); {@code failed
 * reason=...}.
 */
public final class FencedLeaderMain {

  static final ServiceGroup GROUP = ServiceGroup.parse("fenced.test");
  static final Duration WRITE_INTERVAL = Duration.ofMillis(20);
  private static final Duration WRITER_STOP_WAIT = Duration.ofSeconds(5);

  private FencedLeaderMain() {}

  public static void main(String[] args) {
    if (args.length != 7) {
      System.err.println(
          "usage: FencedLeaderMain NAME RING BASE_PORT PORTS DATA_DIR LOG_FILE SUITABILITY");
      System.exit(2);
      return;
    }
    String name = args[0];
    int ports = Integer.parseInt(args[3]);
    FencedLog log = FencedLog.open(Path.of(args[5]), name);
    Supervisor supervisor =
        Supervisor.builder()
            .name(name)
            .transport(
                JGroupsTransport.builder()
                    .ringName(args[1])
                    .preset(Preset.LOOPBACK)
                    .bindPort(Integer.parseInt(args[2]))
                    .portRange(ports)
                    .memberName(name)
                    .build())
            .dataDirectory(Path.of(args[4]))
            .build();
    Writers writers = new Writers(name, log);
    Service service =
        supervisor.register(
            ServiceConfig.builder(GROUP)
                .topology(Topology.LEADER)
                .memberId(MemberId.of(name))
                .suitability(Long.parseLong(args[6]))
                .bootstrapSize(3)
                .onElected(writers::elected)
                .onRevoked(writers::revoked)
                .build());
    service.addListener(new Reporter(name));

    ChildProcess.onCommand("stale-write", argument -> writers.staleWrite());
    ChildProcess.onClose(
        () -> {
          try {
            supervisor.close();
          } finally {
            log.close();
          }
        });
    ChildProcess.install();
    try {
      supervisor.start();
    } catch (HabitatException e) {
      System.err.println("FencedLeaderMain " + name + ": cannot start: " + e.getMessage());
      e.printStackTrace();
      supervisor.close();
      System.exit(1);
      return;
    }
    ChildProcess.event("started", "member", name);
    ChildProcess.blockUntilExit();
  }

  /** The leader's writer threads, one per term led. */
  private static final class Writers {
    private final String name;
    private final FencedLog log;
    private final Map<Long, Writer> byTerm = new ConcurrentHashMap<>();
    private final AtomicLong lastLed = new AtomicLong();

    Writers(String name, FencedLog log) {
      this.name = name;
      this.log = log;
    }

    void elected(LeaderContext leadership) {
      long term = leadership.term().value();
      lastLed.accumulateAndGet(term, Math::max);
      ChildProcess.event("elected", "term", term, "member", name);
      Writer writer = new Writer(leadership, log);
      byTerm.put(term, writer);
      writer.thread.start();
    }

    void revoked(LeaderContext leadership) throws InterruptedException {
      long term = leadership.term().value();
      Writer writer = byTerm.remove(term);
      if (writer != null) {
        writer.stop.countDown();
        writer.thread.join(WRITER_STOP_WAIT.toMillis());
      }
      ChildProcess.event("revoked", "term", term, "member", name);
    }

    void staleWrite() {
      Term term = Term.of(lastLed.get());
      FencedLog.Append append = log.append(term);
      ChildProcess.event(
          "stale-write",
          "term",
          term,
          "accepted",
          append.accepted(),
          "highest",
          append.highestTerm());
    }
  }

  /** Appends the term's records while the term's leadership holds. */
  private static final class Writer implements Runnable {
    private final LeaderContext leadership;
    private final FencedLog log;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;

    Writer(LeaderContext leadership, FencedLog log) {
      this.leadership = leadership;
      this.log = log;
      this.thread = new Thread(this, "fenced-writer-" + leadership.term());
      this.thread.setDaemon(true);
    }

    @Override
    public void run() {
      long term = leadership.term().value();
      long accepted = 0;
      long rejected = 0;
      try {
        while (leadership.isLeader()) {
          FencedLog.Append append = log.append(leadership.term());
          if (append.accepted()) {
            if (accepted++ == 0) {
              ChildProcess.event("first-write", "term", term, "sequence", append.sequence());
            }
          } else {
            rejected++;
            ChildProcess.event(
                "write-rejected",
                "term",
                term,
                "sequence",
                append.sequence(),
                "highest",
                append.highestTerm());
          }
          if (stop.await(WRITE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        ChildProcess.event("failed", "reason", String.valueOf(e).replaceAll("\\s+", "_"));
      } finally {
        ChildProcess.event(
            "writer-stopped", "term", term, "accepted", accepted, "rejected", rejected);
      }
    }
  }

  /** Reports changes of the leader, term, live members and voters of this member's census. */
  private static final class Reporter implements ServiceListener {
    private final String name;
    private String last = "";

    Reporter(String name) {
      this.name = name;
    }

    @Override
    public synchronized void censusChanged(Census census) {
      String leader = census.leaderId().map(MemberId::value).orElse("none");
      String members =
          census.members().stream()
              .filter(m -> m.state() == MemberState.ALIVE || m.state() == MemberState.SUSPECT)
              .map(m -> m.id().value())
              .collect(Collectors.joining(","));
      String voters =
          census.voters().stream().map(MemberId::value).collect(Collectors.joining(","));
      String key = leader + " " + census.term().value() + " " + members + " " + voters;
      if (key.equals(last)) {
        return;
      }
      last = key;
      ChildProcess.event(
          "census",
          "leader",
          leader,
          "term",
          census.term().value(),
          "members",
          members.isEmpty() ? "none" : members,
          "voters",
          voters.isEmpty() ? "none" : voters);
    }

    @Override
    public void failed(HabitatException error) {
      ChildProcess.event(
          "failed",
          "member",
          name,
          "reason",
          String.valueOf(error.getMessage()).replaceAll("\\s+", "_"));
    }
  }
}
