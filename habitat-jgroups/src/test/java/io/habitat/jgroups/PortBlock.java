package io.habitat.jgroups;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds a block of ports on 127.0.0.1 for one test ring, so that builds running side by side on one
 * machine do not share ports.
 */
final class PortBlock {

  /** FD_SOCK2's offset from the TCP port in the loopback preset, and its port range. */
  private static final int FD_SOCK2_OFFSET = 100;

  private static final int FD_SOCK2_RANGE = 10;

  private PortBlock() {}

  /**
   * The first port of a block of {@code size} ports where the TCP ports and the FD_SOCK2 ports (TCP
   * + 100) are all free right now, starting at a random place so that concurrent builds rarely
   * collide.
   */
  static int find(int size) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20_000 + random.nextInt(30_000);
      if (allFree(base, size) && allFree(base + FD_SOCK2_OFFSET, size + FD_SOCK2_RANGE)) {
        return base;
      }
    }
    throw new AssertionError("no free port block on 127.0.0.1");
  }

  private static boolean allFree(int from, int count) {
    for (int port = from; port < from + count; port++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
