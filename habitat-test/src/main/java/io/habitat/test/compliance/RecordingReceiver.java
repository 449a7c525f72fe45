package io.habitat.test.compliance;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Transport.Receiver} that records what it is given, for tests. Thread-safe: the transport
 * may call it from its own threads while the test reads it.
 */
public final class RecordingReceiver implements Transport.Receiver {

  /** One received message, its payload decoded as UTF-8. */
  public record Received(RingAddress from, String text) {}

  private final List<RingView> views = new ArrayList<>();
  private final List<Received> messages = new ArrayList<>();

  @Override
  public synchronized void onView(RingView view) {
    views.add(view);
  }

  @Override
  public synchronized void onMessage(RingAddress from, byte[] message) {
    messages.add(new Received(from, new String(message, StandardCharsets.UTF_8)));
  }

  /** Every view so far, oldest first. */
  public synchronized List<RingView> views() {
    return List.copyOf(views);
  }

  /** The newest view, if any. */
  public synchronized Optional<RingView> lastView() {
    return views.isEmpty() ? Optional.empty() : Optional.of(views.get(views.size() - 1));
  }

  /** Whether the newest view has exactly these members, in any order. */
  public synchronized boolean lastViewIs(List<RingAddress> members) {
    return lastView()
        .map(v -> v.members().size() == members.size() && v.members().containsAll(members))
        .orElse(false);
  }

  /** Every message so far, in arrival order. */
  public synchronized List<Received> messages() {
    return List.copyOf(messages);
  }

  /** The texts of the messages from one sender, in arrival order. */
  public synchronized List<String> textsFrom(RingAddress from) {
    return messages.stream().filter(m -> m.from().equals(from)).map(Received::text).toList();
  }
}
