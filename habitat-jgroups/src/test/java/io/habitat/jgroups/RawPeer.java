package io.habitat.jgroups;

import java.net.InetAddress;
import org.jgroups.Message;
import org.jgroups.blocks.cs.TcpClient;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.Util;

/**
 * A process that is no member of any ring: it opens a TCP connection to a member's transport port
 * with JGroups' own client (the handshake the transport expects) and writes messages on it the way
 * a transport does. What it sends is whatever it was given, forged or captured.
 */
final class RawPeer implements AutoCloseable {

  private final TcpClient client;

  private RawPeer(TcpClient client) {
    this.client = client;
  }

  /** Connects to a member's transport on 127.0.0.1. */
  static RawPeer connect(int port) throws Exception {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    TcpClient client = new TcpClient(loopback, 0, loopback, port, false);
    client.usePeerConnections(true);
    client.start();
    return new RawPeer(client);
  }

  /** Writes one message as a transport writes a single message. */
  void send(Message message) throws Exception {
    ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(message.size() + 16);
    Util.writeMessage(message, out, message.getDest() == null);
    client.send(out.buffer(), 0, out.position());
  }

  @Override
  public void close() {
    client.stop();
  }
}
