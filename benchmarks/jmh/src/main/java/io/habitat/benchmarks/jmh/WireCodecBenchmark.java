package io.habitat.benchmarks.jmh;

import io.habitat.core.Health;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Topology;
import io.habitat.core.internal.Wire;
import io.habitat.core.internal.WireCodec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The wire codec on the messages a ring sends most: the heartbeat (every member, every 100 ms, to
 * every member) and the acknowledgement a follower sends for each of the leader's heartbeats.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class WireCodecBenchmark {

  private Wire.Envelope heartbeat = envelope(new Wire.Leave());
  private Wire.Envelope ack = envelope(new Wire.Leave());
  private byte[] heartbeatBytes = new byte[0];
  private byte[] ackBytes = new byte[0];

  /** Builds the messages and their encodings. */
  @Setup
  public void setUp() {
    Wire.ConfigId config = new Wire.ConfigId(7, 2);
    heartbeat =
        envelope(
            new Wire.Heartbeat(
                10,
                true,
                7,
                7,
                MemberId.of("member-003"),
                false,
                config,
                123_456_789L,
                Health.OK,
                Topology.LEADER,
                3,
                0,
                "",
                Wire.DocId.NONE));
    ack = envelope(new Wire.Ack(7, true, 7, config, 123_456_789L));
    heartbeatBytes = WireCodec.encode(heartbeat);
    ackBytes = WireCodec.encode(ack);
  }

  private static Wire.Envelope envelope(Wire.Body body) {
    return new Wire.Envelope(
        ServiceGroup.parse("postgres.financialdb"), MemberId.of("member-001"), 42, body);
  }

  /** Encodes a heartbeat. */
  @Benchmark
  public byte[] encodeHeartbeat() {
    return WireCodec.encode(heartbeat);
  }

  /** Decodes a heartbeat. */
  @Benchmark
  public Wire.Envelope decodeHeartbeat() throws WireCodec.MalformedMessageException {
    return WireCodec.decode(heartbeatBytes);
  }

  /** Encodes an acknowledgement. */
  @Benchmark
  public byte[] encodeAck() {
    return WireCodec.encode(ack);
  }

  /** Decodes an acknowledgement. */
  @Benchmark
  public Wire.Envelope decodeAck() throws WireCodec.MalformedMessageException {
    return WireCodec.decode(ackBytes);
  }
}
