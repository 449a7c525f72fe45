package io.habitat.test.network;

import java.time.Duration;
import java.util.Objects;

/**
 * The message faults an {@link InMemoryNetwork} injects, drawn from its seeded random source so
 * that a run replays exactly. Immutable; start from {@link #none()} and change one field at a time
 * with the {@code with...} methods, each of which validates its value.
 *
 * <pre>{@code
 * network.faults(Faults.none().withLoss(0.05).withDelay(ofMillis(1), ofMillis(20)).withReorder(true));
 * }</pre>
 *
 * @param loss probability in [0, 1] that a message is dropped
 * @param minDelay the least time a message spends in flight; not negative
 * @param maxDelay the most time a message spends in flight; at least {@code minDelay}. Each message
 *     draws its delay uniformly from [minDelay, maxDelay]
 * @param duplication probability in [0, 1] that a message is delivered twice (this breaks the
 *     transport's at-most-once promise on purpose, to test a protocol's tolerance)
 * @param reorder whether messages of one sender to one receiver may overtake each other; when false
 *     they keep their order (each waits for the one before it) whatever their delays
 */
public record Faults(
    double loss, Duration minDelay, Duration maxDelay, double duplication, boolean reorder) {

  private static final Faults NONE = new Faults(0, Duration.ZERO, Duration.ZERO, 0, false);

  /** Validates every field; the message names the field and its bound. */
  public Faults {
    checkProbability("loss", loss);
    checkProbability("duplication", duplication);
    Objects.requireNonNull(minDelay, "minDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (minDelay.isNegative()) {
      throw new IllegalArgumentException("minDelay must not be negative, was " + minDelay);
    }
    if (maxDelay.compareTo(minDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay must be at least minDelay (" + minDelay + "), was " + maxDelay);
    }
    if (maxDelay.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("maxDelay must be at most 1 day, was " + maxDelay);
    }
  }

  /** No loss, no delay, no duplication, no reordering. */
  public static Faults none() {
    return NONE;
  }

  /** These faults with the given loss probability, in [0, 1]. */
  public Faults withLoss(double loss) {
    return new Faults(loss, minDelay, maxDelay, duplication, reorder);
  }

  /** These faults with each message delayed by a uniform draw from [min, max]. */
  public Faults withDelay(Duration min, Duration max) {
    return new Faults(loss, min, max, duplication, reorder);
  }

  /** These faults with the given duplication probability, in [0, 1]. */
  public Faults withDuplication(double duplication) {
    return new Faults(loss, minDelay, maxDelay, duplication, reorder);
  }

  /** These faults with reordering allowed or not. */
  public Faults withReorder(boolean reorder) {
    return new Faults(loss, minDelay, maxDelay, duplication, reorder);
  }

  private static void checkProbability(String field, double value) {
    if (!(value >= 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], was " + value);
    }
  }
}
