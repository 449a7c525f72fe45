package io.habitat.spring.autoconfigure;

import io.habitat.core.Bind;
import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Timing;
import io.habitat.jgroups.JGroupsTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * Turns {@link HabitatProperties} into the library's builders, naming the property in every error.
 */
final class PropertiesMapper {

  /** The first line of a Habitat {@code .sym.key} file. */
  private static final String SYM_KEY_HEADER = "SYM-SEC-1";

  private static final int MIN_KEY_BYTES = 32;

  private PropertiesMapper() {}

  /** The transport builder with every {@code habitat.ring.*} property that is set applied. */
  static JGroupsTransport.Builder transport(HabitatProperties properties) {
    HabitatProperties.Ring ring = properties.getRing();
    JGroupsTransport.Builder builder = JGroupsTransport.builder();
    set("habitat.ring.name", ring.getName(), builder::ringName);
    Resource stack = ring.getStack();
    if (ring.getPreset() != null && stack != null) {
      throw new InvalidHabitatPropertyException(
          "habitat.ring.stack",
          stack.getDescription(),
          "both habitat.ring.preset and habitat.ring.stack are set",
          "Set one of them: a preset (loopback, lan, tcp, kubernetes) or a JGroups stack of your"
              + " own.",
          null);
    }
    if (ring.getPreset() != null) {
      builder.preset(ring.getPreset());
    }
    if (stack != null) {
      try {
        builder.stack(stack.getURL());
      } catch (IOException e) {
        throw new InvalidHabitatPropertyException(
            "habitat.ring.stack",
            stack.getDescription(),
            "the JGroups stack cannot be found (" + e.getMessage() + ")",
            "Point habitat.ring.stack at a readable JGroups XML file, e.g."
                + " classpath:jgroups.xml or file:/etc/app/jgroups.xml.",
            e);
      }
    }
    setIf("habitat.ring.bind-address", ring.getBindAddress(), builder::bindAddress);
    setIf("habitat.ring.bind-port", ring.getBindPort(), builder::bindPort);
    setIf("habitat.ring.port-range", ring.getPortRange(), builder::portRange);
    setIf("habitat.ring.initial-hosts", ring.getInitialHosts(), builder::initialHosts);
    setIf("habitat.ring.multicast-address", ring.getMulticastAddress(), builder::multicastAddress);
    setIf("habitat.ring.multicast-port", ring.getMulticastPort(), builder::multicastPort);
    setIf("habitat.ring.dns-query", ring.getDnsQuery(), builder::dnsQuery);
    String memberName = ring.getMemberName();
    if (memberName != null) {
      set("habitat.ring.member-name", memberName, builder::memberName);
    } else if (properties.getService().getMemberId() != null) {
      set("habitat.service.member-id", properties.getService().getMemberId(), builder::memberName);
    }
    setIf("habitat.ring.start-timeout", ring.getStartTimeout(), builder::startTimeout);
    ringKey(ring, builder);
    return builder;
  }

  private static void ringKey(HabitatProperties.Ring ring, JGroupsTransport.Builder builder) {
    List<String> set = new ArrayList<>();
    if (ring.getKey() != null) {
      set.add("habitat.ring.key");
    }
    if (ring.getKeyFile() != null) {
      set.add("habitat.ring.key-file");
    }
    if (ring.getPassphrase() != null) {
      set.add("habitat.ring.passphrase");
    }
    if (set.size() > 1) {
      throw new InvalidHabitatPropertyException(
          set.get(1),
          null,
          "more than one ring key is set: " + String.join(", ", set),
          "Set one of habitat.ring.key, habitat.ring.key-file and habitat.ring.passphrase (the"
              + " environment variable HABITAT_RING_KEY sets habitat.ring.key).",
          null);
    }
    String key = ring.getKey();
    Path keyFile = ring.getKeyFile();
    String passphrase = ring.getPassphrase();
    if (key != null) {
      byte[] bytes = decodeKey(key);
      try {
        builder.ringKey(bytes);
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    } else if (keyFile != null) {
      set("habitat.ring.key-file", keyFile.toString(), () -> builder.ringKeyFile(keyFile));
    } else if (passphrase != null) {
      try {
        builder.ringKeyPassphrase(passphrase);
      } catch (IllegalArgumentException e) {
        throw new InvalidHabitatPropertyException(
            "habitat.ring.passphrase",
            null,
            "the passphrase has " + passphrase.length() + " characters, fewer than 16",
            "Use a passphrase of at least 16 characters, or better a random key in"
                + " habitat.ring.key (openssl rand -base64 32).",
            null);
      }
    }
  }

  /** A base64 key, or a Habitat {@code .sym.key} file's content; the value is never echoed. */
  private static byte[] decodeKey(String text) {
    String encoded = text.strip();
    if (encoded.startsWith(SYM_KEY_HEADER)) {
      List<String> lines = encoded.lines().toList();
      encoded = lines.get(lines.size() - 1);
    }
    encoded = encoded.replaceAll("\\s", "");
    String action =
        "Set habitat.ring.key (or HABITAT_RING_KEY) to the base64 of at least "
            + MIN_KEY_BYTES
            + " random bytes, e.g. the output of `openssl rand -base64 32`.";
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      // not chained: the decoder's message quotes a character of the key
      throw new InvalidHabitatPropertyException(
          "habitat.ring.key", null, "the ring key is not base64", action, null);
    }
    if (key.length < MIN_KEY_BYTES) {
      int length = key.length;
      Arrays.fill(key, (byte) 0);
      throw new InvalidHabitatPropertyException(
          "habitat.ring.key",
          null,
          "the ring key has " + length + " bytes, fewer than " + MIN_KEY_BYTES,
          action,
          null);
    }
    return key;
  }

  /**
   * The property an error of {@link JGroupsTransport.Builder#build()} is about, from its message.
   */
  static String ringPropertyOf(String message) {
    String m = message.toLowerCase(Locale.ROOT);
    if (m.contains("initial host") || m.contains("initialhosts")) {
      return "habitat.ring.initial-hosts";
    }
    if (m.contains("multicastaddress")) {
      return "habitat.ring.multicast-address";
    }
    if (m.contains("multicastport")) {
      return "habitat.ring.multicast-port";
    }
    if (m.contains("dns")
        || m.contains(JGroupsTransport.Builder.DNS_QUERY_ENV.toLowerCase(Locale.ROOT))) {
      return "habitat.ring.dns-query";
    }
    if (m.contains("bind address")) {
      return "habitat.ring.bind-address";
    }
    if (m.contains("port block")) {
      return "habitat.ring.bind-port";
    }
    if (m.contains("stack")) {
      return "habitat.ring.stack";
    }
    return "habitat.ring.preset";
  }

  /** The data directory: the property, or habitat-data[/member-id] in the working directory. */
  static Path dataDirectory(HabitatProperties properties) {
    Path configured = properties.getDataDirectory();
    if (configured != null) {
      return configured;
    }
    String memberId = properties.getService().getMemberId();
    Path base = Path.of("habitat-data");
    return memberId == null ? base : base.resolve(memberId);
  }

  /** The timing: the defaults with every {@code habitat.timing.*} property that is set. */
  static @Nullable Timing timing(HabitatProperties.TimingSettings settings) {
    if (settings.getHeartbeatInterval() == null
        && settings.getSuspectAfter() == null
        && settings.getLeaderLease() == null
        && settings.getConfirmAfter() == null
        && settings.getElectionTimeout() == null) {
      return null;
    }
    Timing d = Timing.defaults();
    try {
      return new Timing(
          or(settings.getHeartbeatInterval(), d.heartbeatInterval()),
          or(settings.getSuspectAfter(), d.suspectAfter()),
          or(settings.getLeaderLease(), d.leaderLease()),
          or(settings.getConfirmAfter(), d.confirmAfter()),
          or(settings.getElectionTimeout(), d.electionTimeout()));
    } catch (IllegalArgumentException e) {
      throw new InvalidHabitatPropertyException(
          "habitat.timing",
          null,
          String.valueOf(e.getMessage()),
          "Set the habitat.timing.* durations so that heartbeat-interval < suspect-after <"
              + " leader-lease < confirm-after (defaults 100ms, 400ms, 1100ms, 1300ms), or remove"
              + " them to use the defaults.",
          e);
    }
  }

  private static Duration or(@Nullable Duration value, Duration fallback) {
    return value != null ? value : fallback;
  }

  /**
   * The service builder with every {@code habitat.service.*} property applied.
   *
   * @param applicationName {@code spring.application.name}, the fallback for the service name
   */
  static ServiceConfig.Builder service(
      HabitatProperties.ServiceSettings settings, @Nullable String applicationName) {
    String name = settings.getName();
    String nameProperty = "habitat.service.name";
    if (name == null || name.isBlank()) {
      if (applicationName == null || applicationName.isBlank()) {
        throw new InvalidHabitatPropertyException(
            nameProperty,
            null,
            "no service name is set",
            "Set habitat.service.name (or spring.application.name) to the service's name, e.g."
                + " habitat.service.name=orders; members of one service group share it.",
            null);
      }
      name = applicationName;
      nameProperty = "spring.application.name";
    }
    String service = name;
    check(nameProperty, service, () -> ServiceGroup.of(service));
    check(
        "habitat.service.group",
        settings.getGroup(),
        () -> ServiceGroup.of("s", settings.getGroup()));
    String organization = settings.getOrganization();
    if (organization != null) {
      check(
          "habitat.service.organization",
          organization,
          () -> new ServiceGroup("s", "g", organization));
    }
    ServiceConfig.Builder builder =
        ServiceConfig.builder(new ServiceGroup(service, settings.getGroup(), organization));
    builder.topology(settings.getTopology());
    String memberId = settings.getMemberId();
    if (memberId != null) {
      set("habitat.service.member-id", memberId, () -> builder.memberId(MemberId.of(memberId)));
    }
    set(
        "habitat.service.suitability",
        settings.getSuitability(),
        () -> builder.suitability(settings.getSuitability()));
    set(
        "habitat.service.bootstrap-size",
        settings.getBootstrapSize(),
        () -> builder.bootstrapSize(settings.getBootstrapSize()));
    set("habitat.service.health-interval", settings.getHealthInterval(), builder::healthInterval);
    set(
        "habitat.service.critical-threshold",
        settings.getCriticalThreshold(),
        () -> builder.criticalThreshold(settings.getCriticalThreshold()));
    set("habitat.service.hook-timeout", settings.getHookTimeout(), builder::hookTimeout);
    set(
        "habitat.service.init-retry-min",
        settings.getInitRetryMin() + ".." + settings.getInitRetryMax(),
        () -> builder.initRetry(settings.getInitRetryMin(), settings.getInitRetryMax()));
    builder.preempt(settings.isPreempt());
    if (!settings.getExports().isEmpty()) {
      set("habitat.service.exports", settings.getExports(), builder::exports);
    }
    for (Map.Entry<String, HabitatProperties.BindSettings> e : settings.getBinds().entrySet()) {
      String property = "habitat.service.binds." + e.getKey();
      String group = e.getValue().getGroup();
      if (group == null) {
        throw new InvalidHabitatPropertyException(
            property + ".group",
            null,
            "the bind '" + e.getKey() + "' names no group",
            "Set " + property + ".group to the group it depends on, e.g. postgres.main.",
            null);
      }
      set(property + ".group", group, () -> ServiceGroup.parse(group));
      set(
          property,
          e.getKey(),
          () ->
              builder.bind(
                  new Bind(e.getKey(), ServiceGroup.parse(group), e.getValue().isStrict())));
    }
    return builder;
  }

  private static <T> void setIf(
      String property, @Nullable T value, Function<T, JGroupsTransport.Builder> setter) {
    if (value != null) {
      set(property, value, setter);
    }
  }

  private static <T> void set(String property, T value, Function<T, ?> setter) {
    check(property, value, () -> Objects.requireNonNull(setter.apply(value)));
  }

  private static void set(String property, Object value, Runnable setter) {
    check(property, value, setter);
  }

  private static void check(String property, Object value, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw invalid(property, String.valueOf(value), e);
    }
  }

  static InvalidHabitatPropertyException invalid(
      String property, @Nullable String value, IllegalArgumentException cause) {
    return new InvalidHabitatPropertyException(
        property,
        value,
        String.valueOf(cause.getMessage()),
        "Change "
            + property
            + " to a value the reason above allows, or remove it to use the default"
            + " (docs/spring-boot.md lists every habitat property).",
        cause);
  }
}
