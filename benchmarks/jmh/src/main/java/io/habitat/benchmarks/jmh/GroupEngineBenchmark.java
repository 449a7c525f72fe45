package io.habitat.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The election engine's steady state, the work a group does all the time: one heartbeat interval of
 * a settled group of {@code members} engines ({@link EngineCluster}): every engine's tick and
 * heartbeat to all, the followers' acknowledgements of the leader's heartbeat, each message encoded
 * and decoded. Divide by {@code members} for one member's share of an interval; {@code n (n-1)}
 * heartbeats plus {@code n-1} acknowledgements are delivered per round.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GroupEngineBenchmark {

  /** The group's size. */
  @Param({"3", "7", "100"})
  public int members;

  private EngineCluster cluster = new EngineCluster(1);

  /** A settled group. */
  @Setup(Level.Trial)
  public void setUp() {
    cluster = new EngineCluster(members);
    cluster.settle();
  }

  /** One heartbeat interval of the whole group; returns the messages delivered. */
  @Benchmark
  public long heartbeatRound() {
    return cluster.round();
  }
}
