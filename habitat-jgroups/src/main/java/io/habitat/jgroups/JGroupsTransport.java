package io.habitat.jgroups;

import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.Transport;
import io.habitat.jgroups.internal.ChannelTransport;
import io.habitat.jgroups.internal.RingKey;
import io.habitat.jgroups.internal.StackConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jgroups.JChannel;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Transport} on one JGroups channel: one per supervisor, carrying every service group of
 * the JVM (the layer above multiplexes them; this class only moves bytes and views).
 *
 * <pre>{@code
 * Transport transport = JGroupsTransport.builder()
 *     .ringName("habitat")
 *     .preset(Preset.LOOPBACK)
 *     .bindPort(7800)
 *     .portRange(10)
 *     .build();
 * transport.start(receiver);
 * }</pre>
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Addresses.</b> A {@link RingAddress} id is the JGroups UUID of the channel in its long
 *       string form; a new connection has a new one.
 *   <li><b>Start.</b> {@link #start} connects the channel to the ring (the JGroups cluster named by
 *       the ring name) and blocks until a view containing this member has been delivered to the
 *       receiver; on the first member of a ring that is about the stack's join timeout (300 ms for
 *       {@link Preset#LOOPBACK}, 1 s for the others). When no port of the block could be bound, it
 *       tries again with a new channel (twice at most): members of one machine that start at the
 *       same moment can lose a race for the same port. Failures raise {@link
 *       io.habitat.core.HabitatException}.
 *   <li><b>Views.</b> Delivered from JGroups threads in the order the channel installs them; a
 *       JGroups {@code MergeView} becomes a {@link io.habitat.core.spi.RingView} with subgroups.
 *       Views are delivered one at a time.
 *   <li><b>Messages.</b> {@link #send} goes over UNICAST3 and {@link #sendToAll} over NAKACK2, each
 *       FIFO per sender; there is no order between the two. {@code sendToAll} does not loop back to
 *       the sender; {@code send} to one's own address does. Sending copies the array, so the caller
 *       may reuse it. Sending never waits for the peer and never throws for a member that is gone
 *       (the message is dropped); it throws {@link IllegalArgumentException} for a message larger
 *       than {@link #maxMessageSize()} and {@link IllegalStateException} before {@code start}.
 *   <li><b>Threads.</b> The receiver is called on JGroups' thread pool, for different senders
 *       concurrently, one at a time per sender and kind. It must return quickly.
 *   <li><b>Close.</b> {@link #close} stops deliveries (waiting for calls in flight, except the
 *       caller's own when it closes from inside a callback), then leaves the ring gracefully. After
 *       it returns the receiver is never called again. Idempotent; never throws.
 *   <li><b>Keyed rings.</b> With a ring key ({@link Builder#ringKey}, {@link
 *       Builder#ringKeyPassphrase}, {@link Builder#ringKeyFile} or the {@value
 *       Builder#RING_KEY_VARIABLE} environment variable) every message of every JGroups protocol is
 *       encrypted and authenticated with AES-256-GCM as a whole, headers included; messages that
 *       are not, that fail authentication, that were seen before or that are too old are dropped
 *       and counted in {@link #rejectedMessages()}. Without a key, {@link #start} logs one WARN
 *       saying the ring is open. See {@code docs/keyed-rings.md} for what is protected.
 * </ul>
 *
 * <p>Instances are thread-safe.
 */
public final class JGroupsTransport implements Transport {

  private final ChannelTransport delegate;

  private JGroupsTransport(ChannelTransport delegate) {
    this.delegate = delegate;
  }

  /** A builder with nothing set; {@link Builder#ringName} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void start(Receiver receiver) {
    delegate.start(receiver);
  }

  @Override
  public RingAddress localAddress() {
    return delegate.localAddress();
  }

  @Override
  public void send(RingAddress to, byte[] message) {
    delegate.send(to, message);
  }

  @Override
  public void sendToAll(byte[] message) {
    delegate.sendToAll(message);
  }

  @Override
  public int maxMessageSize() {
    return delegate.maxMessageSize();
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Whether the ring is keyed: its traffic encrypted and authenticated. */
  public boolean keyed() {
    return delegate.keyed();
  }

  /**
   * How many messages the ring's encryption dropped since {@link #start}: unencrypted, failing
   * authentication (another key or ring, or altered), replayed, or older than the age bound. Always
   * 0 on a ring without a key. A WARN reports them at most once a minute.
   */
  public long rejectedMessages() {
    return delegate.rejectedMessages();
  }

  /** The channel under this transport once started, for fault injection within this package. */
  @Nullable JChannel channel() {
    return delegate.channel();
  }

  /** The stack this transport creates its channel from, for checks within this package. */
  StackConfig stack() {
    return delegate.stack();
  }

  /**
   * Builds a {@link JGroupsTransport}, validating every option when it is set and the combination
   * in {@link #build}. Each option may be set once. Not thread-safe.
   *
   * <p>Which options each preset uses, and their defaults:
   *
   * <ul>
   *   <li>{@code loopback}: bind address 127.0.0.1 (loopback addresses only), bind port {@value
   *       #DEFAULT_BIND_PORT}, port range {@value #DEFAULT_PORT_RANGE}, initial hosts: the bind
   *       address at the bind port (loopback addresses only).
   *   <li>{@code lan}: bind address {@value #DEFAULT_NETWORK_BIND_ADDRESS}, bind port {@value
   *       #DEFAULT_BIND_PORT}, port range {@value #DEFAULT_NETWORK_PORT_RANGE}, multicast group
   *       {@value #DEFAULT_MULTICAST_ADDRESS} and port {@value #DEFAULT_MULTICAST_PORT}.
   *   <li>{@code tcp}: as lan without multicast, plus the initial hosts, which are required.
   *   <li>{@code kubernetes}: as lan without multicast, plus the DNS query, which is required (or
   *       the {@value #DNS_QUERY_ENV} environment variable).
   *   <li>a custom {@link #stack}: as loopback, without the loopback-only checks; every option is
   *       passed to the stack's variables.
   * </ul>
   *
   * <p>Setting an option the chosen preset does not use is refused by {@link #build}, so that a
   * typo in a deployment fails at start instead of being ignored.
   */
  public static final class Builder {
    /** The default first port of the port block. */
    public static final int DEFAULT_BIND_PORT = 7800;

    /**
     * The default number of ports in the block of the loopback preset and of a custom stack: ten
     * members can share one machine.
     */
    public static final int DEFAULT_PORT_RANGE = 10;

    /**
     * The environment variable read for a ring key when none is set on the builder: a base64 key of
     * at least 32 bytes (or a Habitat {@code .sym.key} file's content), as for {@link
     * #ringKeyFile}. Blank counts as unset.
     */
    public static final String RING_KEY_VARIABLE = "HABITAT_RING_KEY";

    /**
     * The default number of ports in the block of the lan, tcp and kubernetes presets: one member
     * per host (or pod), always at the bind port, so discovery contacts exactly one port per host.
     */
    public static final int DEFAULT_NETWORK_PORT_RANGE = 1;

    /**
     * The default bind address of the lan, tcp and kubernetes presets: the first site-local address
     * of this host (10/8, 172.16/12, 192.168/16), or else its first non-loopback address. Set one
     * explicitly on hosts with several networks.
     */
    public static final String DEFAULT_NETWORK_BIND_ADDRESS = "SITE_LOCAL,NON_LOOPBACK";

    /** The default multicast group of the lan preset. */
    public static final String DEFAULT_MULTICAST_ADDRESS = "239.8.8.8";

    /** The default multicast port of the lan preset. */
    public static final int DEFAULT_MULTICAST_PORT = 45700;

    /**
     * The environment variable the kubernetes preset reads the DNS query from when {@link
     * #dnsQuery} is not called.
     */
    public static final String DNS_QUERY_ENV = "HABITAT_DNS_QUERY";

    /**
     * Every preset's FD_SOCK2 listens this far above the member's port, trying at most {@link
     * #FD_SOCK2_PORTS} more ports; the whole range must fit below 65536.
     */
    static final int FD_SOCK2_OFFSET = 100;

    static final int FD_SOCK2_PORTS = 10;

    private static final Pattern RING_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final int MAX_PORT_RANGE = 1000;
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern HOST_NAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*\\.?");
    private static final Pattern IPV4_LITERAL = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final List<String> ADDRESS_KEYWORDS =
        List.of("GLOBAL", "SITE_LOCAL", "LINK_LOCAL", "LOOPBACK", "NON_LOOPBACK");
    private static final List<String> ADDRESS_PATTERNS =
        List.of("match-interface:", "match-address:", "match-host:");

    private @Nullable String ringName;
    private @Nullable Preset preset;
    private @Nullable String stackSource;
    private @Nullable StackOpener stackOpener;
    private @Nullable String bindAddress;
    private @Nullable Integer bindPort;
    private @Nullable Integer portRange;
    private @Nullable List<String> initialHosts;
    private @Nullable String multicastAddress;
    private @Nullable Integer multicastPort;
    private @Nullable String dnsQuery;
    private @Nullable String memberName;
    private @Nullable Duration startTimeout;
    private @Nullable Function<String, RingKey> ringKey;
    private Environment environment = System::getenv;

    private Builder() {}

    /**
     * The ring's name: the JGroups cluster every member of the ring joins. 1 to 100 characters:
     * letters, digits, '.', '_' and '-', starting with a letter or digit.
     */
    public Builder ringName(String ringName) {
      Objects.requireNonNull(ringName, "ringName");
      once(this.ringName, "ringName");
      if (!RING_NAME.matcher(ringName).matches()) {
        throw new IllegalArgumentException(
            "ring name '"
                + ringName
                + "' is invalid: use 1 to 100 letters, digits, '.', '_' or '-', starting with a"
                + " letter or digit (e.g. \"habitat\")");
      }
      this.ringName = ringName;
      return this;
    }

    /**
     * The shipped stack to use; {@link Preset#LOOPBACK} when neither a preset nor a stack is set.
     * From a configuration file, use {@link Preset#parse}.
     */
    public Builder preset(Preset preset) {
      Objects.requireNonNull(preset, "preset");
      once(this.preset, "preset");
      this.preset = preset;
      return this;
    }

    /**
     * A JGroups XML stack of the application's own, instead of a preset. Its {@code
     * ${habitat.bind_addr}}, {@code ${habitat.bind_port}}, {@code ${habitat.port_range}}, {@code
     * ${habitat.initial_hosts}}, {@code ${habitat.mcast_addr}}, {@code ${habitat.mcast_port}} and
     * {@code ${habitat.dns_query}} variables get this builder's values (the last three only when
     * set); other variables come from system properties as usual.
     */
    public Builder stack(Path xml) {
      Objects.requireNonNull(xml, "xml");
      once(stackOpener, "stack");
      if (!Files.isReadable(xml)) {
        throw new IllegalArgumentException(
            "JGroups stack file " + xml.toAbsolutePath() + " does not exist or is not readable");
      }
      this.stackSource = xml.toString();
      this.stackOpener = () -> Files.newInputStream(xml);
      return this;
    }

    /** A JGroups XML stack of the application's own, by URL; see {@link #stack(Path)}. */
    public Builder stack(URL xml) {
      Objects.requireNonNull(xml, "xml");
      once(stackOpener, "stack");
      this.stackSource = xml.toString();
      this.stackOpener = xml::openStream;
      return this;
    }

    /**
     * The address to bind: an IP literal or host name of this machine, or a JGroups address keyword
     * ({@code SITE_LOCAL}, {@code NON_LOOPBACK}, {@code GLOBAL}, {@code LINK_LOCAL}, {@code
     * match-interface:eth0}, ...), or several of them separated by commas (the first that matches
     * wins). {@code 127.0.0.1} by default for the loopback preset and a custom stack, {@value
     * #DEFAULT_NETWORK_BIND_ADDRESS} for the others. The {@link Preset#LOOPBACK} preset accepts
     * loopback addresses only.
     */
    public Builder bindAddress(String bindAddress) {
      Objects.requireNonNull(bindAddress, "bindAddress");
      once(this.bindAddress, "bindAddress");
      if (bindAddress.isBlank()) {
        throw new IllegalArgumentException(
            "bind address is blank: give an IP address or host name");
      }
      this.bindAddress = bindAddress.strip();
      return this;
    }

    /** The first port of the ring's port block, 1 to 65535; 7800 by default. */
    public Builder bindPort(int bindPort) {
      once(this.bindPort, "bindPort");
      this.bindPort = checkPort("bind port", bindPort, "7800");
      return this;
    }

    /**
     * How many consecutive ports the block has, 1 to 1000; {@value #DEFAULT_PORT_RANGE} for the
     * loopback preset and a custom stack, {@value #DEFAULT_NETWORK_PORT_RANGE} for the others. A
     * member binds the first free port of the block, and discovery probes the whole block (of every
     * initial host, or of every address the DNS query returns), so the block bounds how many
     * members one machine runs.
     */
    public Builder portRange(int portRange) {
      once(this.portRange, "portRange");
      if (portRange < 1 || portRange > MAX_PORT_RANGE) {
        throw new IllegalArgumentException(
            "port range " + portRange + " is out of range: use 1 to " + MAX_PORT_RANGE);
      }
      this.portRange = portRange;
      return this;
    }

    /**
     * The members discovery contacts, as {@code host:port} (IPv6 as {@code [::1]:7800}); each is
     * probed over the port range. Required by the tcp preset (list every member, or at least the
     * ones that are always up); the loopback preset defaults to the bind address at the bind port;
     * lan and kubernetes do not use it. Host names are resolved by JGroups at start, and again on
     * each discovery round while they do not resolve.
     */
    public Builder initialHosts(List<String> hostsAndPorts) {
      Objects.requireNonNull(hostsAndPorts, "hostsAndPorts");
      once(this.initialHosts, "initialHosts");
      if (hostsAndPorts.isEmpty()) {
        throw new IllegalArgumentException(
            "initial hosts list is empty: give at least one host:port, e.g. 127.0.0.1:7800");
      }
      List<String> hosts = new ArrayList<>();
      for (String hostAndPort : hostsAndPorts) {
        hosts.add(parseHost(Objects.requireNonNull(hostAndPort, "initial host")));
      }
      this.initialHosts = List.copyOf(hosts);
      return this;
    }

    /**
     * The IP multicast group of the lan preset, e.g. {@code 239.8.8.8}; {@value
     * #DEFAULT_MULTICAST_ADDRESS} by default. Rings that share a group and port still keep apart
     * (by ring name), but each drops the other's traffic with a warning: give each ring its own.
     */
    public Builder multicastAddress(String multicastAddress) {
      Objects.requireNonNull(multicastAddress, "multicastAddress");
      once(this.multicastAddress, "multicastAddress");
      String address = multicastAddress.strip();
      boolean multicast;
      try {
        // Literals only: a group is never looked up in DNS.
        multicast =
            (IPV4_LITERAL.matcher(address).matches() || IPV6_LITERAL.matcher(address).matches())
                && InetAddress.getByName(address).isMulticastAddress();
      } catch (UnknownHostException e) {
        multicast = false;
      }
      if (!multicast) {
        throw new IllegalArgumentException(
            "multicast address '"
                + multicastAddress
                + "' is not an IP multicast group: use an address from 224.0.0.0 to"
                + " 239.255.255.255 (e.g. "
                + DEFAULT_MULTICAST_ADDRESS
                + ") or an IPv6 ff00::/8 address");
      }
      this.multicastAddress = address;
      return this;
    }

    /** The UDP port of the lan preset's multicast group, 1 to 65535; 45700 by default. */
    public Builder multicastPort(int multicastPort) {
      once(this.multicastPort, "multicastPort");
      this.multicastPort = checkPort("multicast port", multicastPort, "45700");
      return this;
    }

    /**
     * The DNS name(s) the kubernetes preset resolves to find the other members: the headless
     * Service's name, e.g. {@code habitat.shop.svc.cluster.local} (several, comma-separated, are
     * all resolved). Without this call the preset reads {@value #DNS_QUERY_ENV}; one of the two is
     * required.
     */
    public Builder dnsQuery(String dnsQuery) {
      Objects.requireNonNull(dnsQuery, "dnsQuery");
      once(this.dnsQuery, "dnsQuery");
      this.dnsQuery = checkDnsQuery(dnsQuery, "dnsQuery(...)");
      return this;
    }

    /** The member's JGroups logical name, shown in JGroups logs; generated by default. */
    public Builder memberName(String memberName) {
      Objects.requireNonNull(memberName, "memberName");
      once(this.memberName, "memberName");
      if (memberName.isBlank()) {
        throw new IllegalArgumentException("member name is blank: give a name or leave it unset");
      }
      this.memberName = memberName;
      return this;
    }

    /** How long {@link JGroupsTransport#start} waits to join; 30 seconds by default. */
    public Builder startTimeout(Duration startTimeout) {
      Objects.requireNonNull(startTimeout, "startTimeout");
      once(this.startTimeout, "startTimeout");
      if (startTimeout.isNegative() || startTimeout.isZero()) {
        throw new IllegalArgumentException(
            "start timeout " + startTimeout + " must be positive, e.g. Duration.ofSeconds(30)");
      }
      this.startTimeout = startTimeout;
      return this;
    }

    /** Where {@link #build} reads {@value #DNS_QUERY_ENV}; the process environment by default. */
    Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Keys the ring with a random key of at least 32 bytes (256 bits), which every member of the
     * ring must share. The AES-256 keys are derived from it and the ring name with HKDF-SHA256. The
     * array is copied. One of {@code ringKey}, {@link #ringKeyPassphrase} and {@link #ringKeyFile}
     * may be set; with none, the {@value #RING_KEY_VARIABLE} environment variable is read.
     *
     * @throws IllegalArgumentException if the key has fewer than 32 bytes
     */
    public Builder ringKey(byte[] key) {
      Objects.requireNonNull(key, "key");
      onceKey();
      RingKey.requireLength(key.length, "the ring key");
      byte[] copy = key.clone();
      this.ringKey = name -> RingKey.fromBytes(copy, name);
      return this;
    }

    /**
     * Keys the ring with a passphrase of at least 16 characters, stretched with PBKDF2-HMAC-SHA256
     * (600,000 iterations, the ring name in the salt: a few hundred milliseconds of CPU in {@link
     * #build}). Prefer a random key ({@link #ringKey}, {@link #ringKeyFile}): a passphrase guessed
     * offline from captured traffic opens the ring. The characters are copied. See {@link
     * #ringKey(byte[])} for the alternatives.
     *
     * @throws IllegalArgumentException if the passphrase has fewer than 16 characters
     */
    public Builder ringKeyPassphrase(CharSequence passphrase) {
      Objects.requireNonNull(passphrase, "passphrase");
      onceKey();
      RingKey.requirePassphrase(passphrase.length());
      char[] copy = new char[passphrase.length()];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = passphrase.charAt(i);
      }
      this.ringKey = name -> RingKey.fromPassphrase(copy, name);
      return this;
    }

    /**
     * Keys the ring with the key in a file, read now: base64 of at least 32 bytes, whitespace
     * ignored, as {@code openssl rand -base64 32 > ring.key} writes it; a Habitat {@code .sym.key}
     * file (as {@code hab ring key generate} writes it) is read too. Keep the file readable by the
     * service's user only. See {@link #ringKey(byte[])} for the alternatives.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no such key; the message
     *     names the file, never its content
     */
    public Builder ringKeyFile(Path file) {
      Objects.requireNonNull(file, "file");
      onceKey();
      String source = "ring key file " + file.toAbsolutePath();
      String text;
      try {
        text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            source + " cannot be read (" + e.getClass().getSimpleName() + "): check the path", e);
      }
      byte[] key = RingKey.decodeText(text, source);
      this.ringKey = name -> RingKey.fromBytes(key, name);
      return this;
    }

    /** Where {@link #build} looks up {@value #RING_KEY_VARIABLE}; the process environment. */
    Builder environment(Map<String, String> environment) {
      Objects.requireNonNull(environment, "environment");
      this.environment = environment::get;
      return this;
    }

    /**
     * The transport, not yet started.
     *
     * @throws IllegalArgumentException if the options do not fit together or the stack cannot be
     *     read, saying which and what to do
     */
    public JGroupsTransport build() {
      if (ringName == null) {
        throw new IllegalArgumentException("ring name is not set: call ringName(\"habitat\")");
      }
      if (preset != null && stackOpener != null) {
        throw new IllegalArgumentException(
            "both a preset and a custom stack are set: choose one of preset(...) and stack(...)");
      }
      Preset chosen = stackOpener == null ? (preset != null ? preset : Preset.LOOPBACK) : null;
      boolean network = chosen != null && chosen != Preset.LOOPBACK;
      String address =
          bindAddress != null
              ? bindAddress
              : (network ? DEFAULT_NETWORK_BIND_ADDRESS : "127.0.0.1");
      int port = bindPort != null ? bindPort : DEFAULT_BIND_PORT;
      int range =
          portRange != null
              ? portRange
              : (network ? DEFAULT_NETWORK_PORT_RANGE : DEFAULT_PORT_RANGE);
      if (port + range - 1 > 65535) {
        throw new IllegalArgumentException(
            "port block "
                + port
                + ".."
                + (port + range - 1)
                + " ends above 65535: lower bindPort or portRange");
      }
      if (chosen != null && port + range - 1 + FD_SOCK2_OFFSET + FD_SOCK2_PORTS > 65535) {
        throw new IllegalArgumentException(
            "port block "
                + port
                + ".."
                + (port + range - 1)
                + " leaves no room for the failure detector (FD_SOCK2), which listens "
                + FD_SOCK2_OFFSET
                + " ports above it: use a bindPort of at most "
                + (65535 - FD_SOCK2_OFFSET - FD_SOCK2_PORTS - range + 1));
      }
      Map<String, String> properties = new HashMap<>();
      properties.put("habitat.bind_addr", address);
      properties.put("habitat.bind_port", Integer.toString(port));
      properties.put("habitat.port_range", Integer.toString(range - 1));
      if (chosen == null) {
        properties.put(
            "habitat.initial_hosts",
            String.join(",", initialHosts != null ? initialHosts : defaultHosts(address, port)));
        putIfSet(properties, "habitat.mcast_addr", multicastAddress);
        putIfSet(properties, "habitat.mcast_port", multicastPort);
        putIfSet(properties, "habitat.dns_query", dnsQuery);
      } else {
        presetProperties(chosen, address, port, properties);
      }
      StackConfig stack = readStack(chosen, properties);
      return new JGroupsTransport(
          new ChannelTransport(
              ringName,
              memberName,
              stack,
              startTimeout != null ? startTimeout : Duration.ofSeconds(30),
              ringKey(ringName)));
    }

    private @Nullable RingKey ringKey(String ring) {
      if (ringKey != null) {
        return ringKey.apply(ring);
      }
      String variable = environment.variable(RING_KEY_VARIABLE);
      if (variable == null || variable.isBlank()) {
        return null;
      }
      byte[] key = RingKey.decodeText(variable, "the environment variable " + RING_KEY_VARIABLE);
      try {
        return RingKey.fromBytes(key, ring);
      } finally {
        Arrays.fill(key, (byte) 0);
      }
    }

    private void onceKey() {
      if (ringKey != null) {
        throw new IllegalStateException(
            "a ring key was already set: set one of ringKey, ringKeyPassphrase and ringKeyFile,"
                + " once");
      }
    }

    /** Checks the options against the preset and adds the variables its stack uses. */
    private void presetProperties(
        Preset chosen, String address, int port, Map<String, String> properties) {
      String name = chosen.configName();
      if (chosen == Preset.LOOPBACK) {
        requireLoopback("bind address", address);
      } else {
        checkBindAddress(address, name);
      }
      if (chosen != Preset.LAN) {
        refuse(multicastAddress, "multicastAddress", name, "it is for the lan preset");
        refuse(multicastPort, "multicastPort", name, "it is for the lan preset");
      }
      if (chosen != Preset.KUBERNETES) {
        refuse(dnsQuery, "dnsQuery", name, "it is for the kubernetes preset");
      }
      switch (chosen) {
        case LOOPBACK -> {
          List<String> hosts = initialHosts != null ? initialHosts : defaultHosts(address, port);
          for (String host : hosts) {
            requireLoopback("initial host", host.substring(0, host.lastIndexOf('[')));
          }
          properties.put("habitat.initial_hosts", String.join(",", hosts));
        }
        case LAN -> {
          refuse(initialHosts, "initialHosts", name, "the lan preset finds members by multicast");
          properties.put(
              "habitat.mcast_addr",
              multicastAddress != null ? multicastAddress : DEFAULT_MULTICAST_ADDRESS);
          properties.put(
              "habitat.mcast_port",
              Integer.toString(multicastPort != null ? multicastPort : DEFAULT_MULTICAST_PORT));
        }
        case TCP -> {
          if (initialHosts == null) {
            throw new IllegalArgumentException(
                "the tcp preset needs the members to contact: call initialHosts(List.of("
                    + "\"10.0.0.1:7800\", \"10.0.0.2:7800\", ...)) with every member's host:port,"
                    + " or at least the ones that are always up");
          }
          properties.put("habitat.initial_hosts", String.join(",", initialHosts));
        }
        case KUBERNETES -> {
          refuse(
              initialHosts,
              "initialHosts",
              name,
              "the kubernetes preset finds members by DNS: use dnsQuery(...)");
          String query = dnsQuery;
          if (query == null) {
            String fromEnvironment = environment.variable(DNS_QUERY_ENV);
            if (fromEnvironment == null || fromEnvironment.isBlank()) {
              throw new IllegalArgumentException(
                  "the kubernetes preset needs the DNS name of the ring's headless Service: call"
                      + " dnsQuery(\"<service>.<namespace>.svc.cluster.local\") or set the"
                      + " environment variable "
                      + DNS_QUERY_ENV
                      + " (see docs/presets.md)");
            }
            query = checkDnsQuery(fromEnvironment, "environment variable " + DNS_QUERY_ENV);
          }
          properties.put("habitat.dns_query", query);
        }
      }
    }

    private StackConfig readStack(@Nullable Preset chosen, Map<String, String> properties) {
      String source;
      StackOpener opener;
      if (chosen != null) {
        source = "preset " + chosen.configName();
        String resource = "presets/" + chosen.resource();
        opener =
            () -> {
              InputStream in = JGroupsTransport.class.getResourceAsStream(resource);
              if (in == null) {
                throw new IOException("resource " + resource + " is missing from the jar");
              }
              return in;
            };
      } else {
        source = Objects.requireNonNull(stackSource);
        opener = Objects.requireNonNull(stackOpener);
      }
      try {
        return StackConfig.read(source, opener.open(), properties);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot use the JGroups stack "
                + source
                + ": "
                + e.getMessage()
                + "; check that it is a readable JGroups XML stack",
            e);
      }
    }

    private static void once(@Nullable Object current, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set; set each option once");
      }
    }

    private static void refuse(
        @Nullable Object value, String option, String preset, String reason) {
      if (value != null) {
        throw new IllegalArgumentException(
            option
                + " is set but the "
                + preset
                + " preset does not use it ("
                + reason
                + "): remove it or choose the preset that uses it");
      }
    }

    private static void putIfSet(
        Map<String, String> properties, String key, @Nullable Object value) {
      if (value != null) {
        properties.put(key, value.toString());
      }
    }

    private static int checkPort(String what, int port, String example) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            what + " " + port + " is out of range: use 1 to 65535 (e.g. " + example + ")");
      }
      return port;
    }

    private static List<String> defaultHosts(String address, int port) {
      return List.of(jgroupsHost(address, port));
    }

    /** "host:port" or "[v6]:port" to JGroups' "host[port]". */
    private static String parseHost(String hostAndPort) {
      String s = hostAndPort.strip();
      int colon = s.lastIndexOf(':');
      String host = colon > 0 ? s.substring(0, colon) : "";
      boolean bracketed = host.startsWith("[") && host.endsWith("]");
      if (bracketed) {
        host = host.substring(1, host.length() - 1);
      }
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      boolean validHost =
          bracketed
              ? IPV6_LITERAL.matcher(host).matches()
              : HOST_NAME.matcher(host).matches() && host.length() <= 253;
      if (!validHost || port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "initial host '"
                + hostAndPort
                + "' is invalid: use host:port with a host name or IP address and a port from 1 to"
                + " 65535, e.g. 10.0.0.1:7800, db1.example.com:7800 or [::1]:7800 (IPv6 in"
                + " brackets)");
      }
      return jgroupsHost(host, port);
    }

    private static String jgroupsHost(String host, int port) {
      return host + "[" + port + "]";
    }

    private static String checkDnsQuery(String dnsQuery, String origin) {
      String query = dnsQuery.strip();
      List<String> names = new ArrayList<>();
      for (String name : query.split(",", -1)) {
        String n = name.strip();
        if (!HOST_NAME.matcher(n).matches() || n.length() > 253) {
          throw new IllegalArgumentException(
              "DNS query '"
                  + dnsQuery
                  + "' from "
                  + origin
                  + " is not a DNS name (or a comma-separated list of them): give the headless"
                  + " Service's name, e.g. habitat.shop.svc.cluster.local");
        }
        names.add(n);
      }
      return String.join(",", names);
    }

    private static void checkBindAddress(String value, String preset) {
      for (String part : value.split(",", -1)) {
        String p = part.strip();
        if (ADDRESS_KEYWORDS.contains(p.toUpperCase(Locale.ROOT))) {
          continue;
        }
        if (ADDRESS_PATTERNS.stream().anyMatch(prefix -> p.startsWith(prefix))
            && p.indexOf(':') < p.length() - 1) {
          continue;
        }
        boolean resolves = HOST_NAME.matcher(p).matches() || IPV6_LITERAL.matcher(p).matches();
        if (resolves) {
          try {
            InetAddress.getByName(p);
          } catch (UnknownHostException e) {
            resolves = false;
          }
        }
        if (!resolves) {
          throw new IllegalArgumentException(
              "bind address '"
                  + value
                  + "' of the "
                  + preset
                  + " preset is not usable: '"
                  + p
                  + "' is neither an address or resolvable host name of this machine nor a"
                  + " JGroups keyword; use e.g. 10.0.0.5, SITE_LOCAL, NON_LOOPBACK or"
                  + " match-interface:eth0");
        }
      }
    }

    private static void requireLoopback(String what, String host) {
      boolean loopback;
      try {
        loopback = InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(
            what + " '" + host + "' cannot be resolved: use 127.0.0.1 for the loopback preset", e);
      }
      if (!loopback) {
        throw new IllegalArgumentException(
            what
                + " '"
                + host
                + "' is not a loopback address: the loopback preset binds and discovers on"
                + " 127.0.0.1 only; use 127.0.0.1, or the lan, tcp or kubernetes preset for other"
                + " networks");
      }
    }

    /** The process environment, or a stand-in for tests. */
    @FunctionalInterface
    interface Environment {
      /** The variable's value, or null if it is not set. */
      @Nullable String variable(String name);
    }

    /** Opens the stack's XML. */
    @FunctionalInterface
    private interface StackOpener {
      InputStream open() throws IOException;
    }
  }
}
