package io.habitat.jgroups.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import org.jgroups.conf.ProtocolConfiguration;
import org.jgroups.conf.ProtocolStackConfigurator;
import org.jgroups.conf.XmlConfigurator;
import org.jgroups.util.Util;

/**
 * A JGroups XML stack with its {@code ${name:default}} variables resolved from per-transport
 * properties first and system properties second (so several rings with different ports can share
 * one JVM). Immutable; every {@link #configurator()} call parses afresh, since JGroups keeps the
 * configurations it was given.
 */
public final class StackConfig {

  private final String source;
  private final byte[] xml;
  private final Properties values = new Properties();

  private StackConfig(String source, byte[] xml, Map<String, String> properties) {
    this.source = source;
    this.xml = xml;
    values.putAll(properties);
  }

  /**
   * Reads the stack from a stream, which it closes, and checks that it parses.
   *
   * @param source where the XML comes from, for messages
   * @throws IOException if the stream cannot be read or does not hold a JGroups stack
   */
  public static StackConfig read(String source, InputStream in, Map<String, String> properties)
      throws IOException {
    byte[] xml;
    try (in) {
      xml = in.readAllBytes();
    }
    StackConfig config = new StackConfig(source, xml, properties);
    config.configurator();
    return config;
  }

  /** Where the XML came from. */
  public String source() {
    return source;
  }

  /**
   * A configurator for a new channel, variables resolved.
   *
   * @throws IOException if the XML is not a JGroups stack
   */
  public ProtocolStackConfigurator configurator() throws IOException {
    XmlConfigurator parsed;
    try (InputStream in = new ByteArrayInputStream(xml)) {
      parsed = XmlConfigurator.getInstance(in);
    } catch (IOException | RuntimeException e) {
      throw new IOException("cannot parse the JGroups stack " + source + ": " + e.getMessage(), e);
    }
    for (ProtocolConfiguration protocol : parsed.getProtocolStack()) {
      Iterator<Map.Entry<String, String>> it = protocol.getProperties().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, String> entry = it.next();
        String resolved = Util.substituteVariable(entry.getValue(), values);
        if (resolved == null) {
          it.remove();
        } else {
          entry.setValue(resolved);
        }
      }
    }
    return parsed;
  }
}
