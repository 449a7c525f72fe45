package io.habitat.jgroups;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jspecify.annotations.Nullable;

/**
 * A protocol that keeps what one sender's messages look like as they come off the wire, for a test
 * to replay them. Goes directly above the transport, below the ring encryption.
 */
final class Tap extends Protocol {

  private final Address sender;
  private final List<Message> captured = new CopyOnWriteArrayList<>();
  private volatile boolean capturing = true;

  Tap(Address sender) {
    this.sender = sender;
  }

  /** Stops capturing and returns what was captured. */
  List<Message> stopCapturing() {
    capturing = false;
    return List.copyOf(captured);
  }

  @Override
  public @Nullable Object up(Message msg) {
    if (capturing && sender.equals(msg.getSrc())) {
      captured.add(msg);
    }
    return up_prot.up(msg);
  }

  @Override
  public void up(MessageBatch batch) {
    if (capturing && sender.equals(batch.sender())) {
      batch.forEach(captured::add);
    }
    up_prot.up(batch);
  }
}
