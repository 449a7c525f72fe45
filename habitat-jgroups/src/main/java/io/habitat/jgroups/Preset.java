package io.habitat.jgroups;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A JGroups stack shipped with the library, tuned for one kind of deployment. Each preset is an XML
 * file under {@code io/habitat/jgroups/presets/} whose comments say why each setting has its value;
 * {@code docs/presets.md} says which ports each one uses and how to deploy it.
 *
 * <p>All four detect a crashed member within tens of milliseconds (a TCP connection to it closes:
 * {@code FD_SOCK2}) and a hung one only after Habitat itself has replaced it ({@code FD_ALL3}, see
 * docs/jgroups-notes.md). They differ in how members find each other and what they bind.
 */
public enum Preset {
  /**
   * Every member on one machine, bound to a loopback address: TCP on a block of consecutive ports,
   * discovery by probing that block ({@code TCPPING}). For laptops, tests and demos; never reaches
   * the network. The default.
   */
  LOOPBACK("loopback.xml"),

  /**
   * Members on one LAN segment that carries IP multicast: UDP, discovery and multicasts by IP
   * multicast ({@code PING}), no host list to maintain. The multicast group and port are {@link
   * JGroupsTransport.Builder#multicastAddress} and {@link JGroupsTransport.Builder#multicastPort}.
   */
  LAN("lan.xml"),

  /**
   * Members on networks without multicast (most clouds, many data centres): TCP, discovery by
   * contacting a static list of members ({@code TCPPING}) given with {@link
   * JGroupsTransport.Builder#initialHosts}, which is required.
   */
  TCP("tcp.xml"),

  /**
   * Members as pods of one Kubernetes workload: TCP, discovery by resolving the A records of a
   * headless Service ({@code DNS_PING}), given with {@link JGroupsTransport.Builder#dnsQuery} or
   * the {@value JGroupsTransport.Builder#DNS_QUERY_ENV} environment variable. The Service must set
   * {@code publishNotReadyAddresses: true}.
   */
  KUBERNETES("kubernetes.xml");

  private final String resource;

  Preset(String resource) {
    this.resource = resource;
  }

  /** The lower-case name used in configuration files: loopback, lan, tcp or kubernetes. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Reads a preset name as written in a configuration file, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and listing the allowed names
   */
  public static Preset parse(String name) {
    String wanted = name.strip();
    for (Preset p : values()) {
      if (p.configName().equalsIgnoreCase(wanted)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown JGroups preset '"
            + name
            + "': use one of "
            + Arrays.stream(values()).map(Preset::configName).collect(Collectors.joining(", "))
            + ", or a stack file of your own with stack(...)");
  }

  /** The stack's resource name, relative to {@code io/habitat/jgroups/presets/}. */
  String resource() {
    return resource;
  }
}
