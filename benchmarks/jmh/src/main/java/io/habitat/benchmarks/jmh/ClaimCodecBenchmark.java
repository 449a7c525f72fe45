package io.habitat.benchmarks.jmh;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceGroup;
import io.habitat.core.internal.Wire;
import io.habitat.core.internal.WireCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The wire codec on a candidate's claim ({@code Coordinator}), which carries the voting membership
 * of {@code voters} members: one per election, sent to every member.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ClaimCodecBenchmark {

  /** The size of the voting membership in the claim. */
  @Param({"3", "100"})
  public int voters;

  private Wire.Envelope coordinator = envelope(new Wire.Leave());
  private byte[] coordinatorBytes = new byte[0];

  /** Builds the claim and its encoding. */
  @Setup
  public void setUp() {
    List<MemberId> members = new ArrayList<>();
    for (int i = 1; i <= voters; i++) {
      members.add(MemberId.of(String.format(Locale.ROOT, "member-%03d", i)));
    }
    Wire.ConfigId config = new Wire.ConfigId(7, 2);
    coordinator = envelope(new Wire.Coordinator(8, config, members, 123_456_789L));
    coordinatorBytes = WireCodec.encode(coordinator);
  }

  private static Wire.Envelope envelope(Wire.Body body) {
    return new Wire.Envelope(
        ServiceGroup.parse("postgres.financialdb"), MemberId.of("member-001"), 42, body);
  }

  /** Encodes a claim with {@link #voters} voters. */
  @Benchmark
  public byte[] encodeCoordinator() {
    return WireCodec.encode(coordinator);
  }

  /** Decodes a claim with {@link #voters} voters. */
  @Benchmark
  public Wire.Envelope decodeCoordinator() throws WireCodec.MalformedMessageException {
    return WireCodec.decode(coordinatorBytes);
  }
}
