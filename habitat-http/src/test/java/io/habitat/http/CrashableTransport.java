package io.habitat.http;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.RingView;
import io.habitat.core.spi.Transport;

/**
 * A transport that can be crashed from a test: from {@link #crash()} on, nothing goes in or out,
 * and the channel underneath is closed, so the other members see the member vanish from the ring's
 * view without a goodbye, as after {@code kill -9}. The supervisor above it keeps running until the
 * test closes it.
 */
final class CrashableTransport implements Transport {

  private final Transport delegate;
  private volatile boolean crashed;

  CrashableTransport(Transport delegate) {
    this.delegate = delegate;
  }

  void crash() {
    crashed = true;
    delegate.close();
  }

  @Override
  public void start(Receiver receiver) {
    delegate.start(
        new Receiver() {
          @Override
          public void onView(RingView view) {
            if (!crashed) {
              receiver.onView(view);
            }
          }

          @Override
          public void onMessage(RingAddress from, byte[] message) {
            if (!crashed) {
              receiver.onMessage(from, message);
            }
          }
        });
  }

  @Override
  public RingAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public void send(RingAddress to, byte[] message) {
    if (!crashed) {
      delegate.send(to, message);
    }
  }

  @Override
  public void sendToAll(byte[] message) {
    if (!crashed) {
      delegate.sendToAll(message);
    }
  }

  @Override
  public int maxMessageSize() {
    return delegate.maxMessageSize();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
