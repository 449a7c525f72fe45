package io.habitat.jgroups;

import io.habitat.test.process.FreePorts;

/**
 * Finds a block of ports on 127.0.0.1 for one test ring, so that builds running side by side on one
 * machine do not share ports (the TCP ports and FD_SOCK2's ports of the loopback preset).
 */
final class PortBlock {

  private PortBlock() {}

  /** The first port of a free block of {@code size} ports. */
  static int find(int size) {
    return FreePorts.block(size);
  }
}
