package io.habitat.test.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds a block of free ports on 127.0.0.1 for one ring of the loopback preset. */
public final class FreePorts {

  /** FD_SOCK2's offset from the TCP port in the loopback preset, and its port range. */
  private static final int FD_SOCK2_OFFSET = 100;

  private static final int FD_SOCK2_RANGE = 10;

  /**
   * Blocks start between 20000 and 32000: below Linux's default ephemeral range (32768 and up), so
   * the members' own outgoing connections cannot take a port of the block.
   */
  private static final int LOWEST = 20_000;

  private static final int SPREAD = 12_000;

  private FreePorts() {}

  /**
   * The first port of a block of {@code size} ports where the TCP ports and the FD_SOCK2 ports (TCP
   * + 100) are all free right now, starting at a random place so that two rings started side by
   * side rarely collide.
   *
   * @throws IllegalStateException if no such block was found
   */
  public static int block(int size) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = LOWEST + random.nextInt(SPREAD);
      if (allFree(base, size) && allFree(base + FD_SOCK2_OFFSET, size + FD_SOCK2_RANGE)) {
        return base;
      }
    }
    throw new IllegalStateException("no block of " + size + " free ports on 127.0.0.1");
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
