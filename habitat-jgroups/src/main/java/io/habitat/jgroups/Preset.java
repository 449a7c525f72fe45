package io.habitat.jgroups;

/**
 * A JGroups stack shipped with the library, tuned for one kind of deployment. Each preset is an XML
 * file under {@code io/habitat/jgroups/presets/} whose comments say why each setting has its value.
 */
public enum Preset {
  /**
   * Every member on one machine, bound to a loopback address: TCP on a block of consecutive ports,
   * discovery by probing that block ({@code TCPPING}), crash detection within about a second
   * ({@code FD_SOCK2}). For laptops, tests and demos; never reaches the network.
   */
  LOOPBACK("loopback.xml");

  private final String resource;

  Preset(String resource) {
    this.resource = resource;
  }

  /** The stack's resource name, relative to {@code io/habitat/jgroups/presets/}. */
  String resource() {
    return resource;
  }
}
