package io.habitat.benchmarks.members;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * JGroups' own {@code tcp.xml}, as the JGroups jar on the class path ships it (with its {@code
 * tcp-default.xml} transport inlined where it is included), changed only where a benchmark on one
 * machine must: TCP bound to 127.0.0.1 at the member's own port ({@code port_range} 0, so members
 * started together never race for a port), TCPPING asking 127.0.0.1 at the ring's ports, and the
 * diagnostics handler off (it would open a multicast socket). Further attribute changes (a tuned
 * variant) are applied on top; each must name an element the stack has (JGroups itself refuses an
 * unknown attribute when it creates the channel).
 *
 * <p>Stateless; the methods are thread-safe.
 */
public final class StockTcpStack {

  /** The tuned variant: faster failure detection, discovery and merging than tcp.xml. */
  public static final Map<String, Map<String, String>> TUNED = tuned();

  private StockTcpStack() {}

  private static Map<String, Map<String, String>> tuned() {
    Map<String, Map<String, String>> t = new LinkedHashMap<>();
    t.put("FD_ALL3", Map.of("timeout", "1500", "interval", "300"));
    t.put("VERIFY_SUSPECT2", Map.of("timeout", "100"));
    t.put("pbcast.GMS", Map.of("join_timeout", "200"));
    t.put("TCPPING", Map.of("num_discovery_runs", "3"));
    t.put("MERGE3", Map.of("min_interval", "500", "max_interval", "1500"));
    return Map.copyOf(t);
  }

  /**
   * The stack XML for one member.
   *
   * @param loader where {@code tcp.xml} and {@code tcp-default.xml} are (the JGroups jar)
   * @param firstPort the ring's first port; members listen on {@code firstPort .. firstPort +
   *     members - 1}
   * @param members how many members the ring has (TCPPING asks that many ports)
   * @param ownPort this member's port
   * @param changes attribute changes by element name (as in the XML, e.g. {@code pbcast.GMS})
   * @throws IllegalArgumentException if a change names an element the stack lacks
   * @throws IllegalStateException if the JGroups jar has no {@code tcp.xml}
   */
  public static String xml(
      ClassLoader loader,
      int firstPort,
      int members,
      int ownPort,
      Map<String, Map<String, String>> changes) {
    Document stack = parse(read(loader, "tcp.xml"));
    Element config = stack.getDocumentElement();
    NodeList include = config.getElementsByTagName("include");
    if (include.getLength() == 1) {
      // JGroups 5.5 keeps the transport in tcp-default.xml; 5.4 has it inline.
      Element transport = firstElement(parse(read(loader, "tcp-default.xml")).getDocumentElement());
      config.replaceChild(stack.importNode(transport, true), include.item(0));
    }

    set(config, "TCP", "bind_addr", "127.0.0.1");
    set(config, "TCP", "bind_port", Integer.toString(ownPort));
    set(config, "TCP", "port_range", "0");
    set(config, "TCP", "diag.enabled", "false");
    set(config, "TCPPING", "initial_hosts", "127.0.0.1[" + firstPort + "]");
    set(config, "TCPPING", "port_range", Integer.toString(members - 1));
    changes.forEach(
        (element, attributes) -> attributes.forEach((k, v) -> set(config, element, k, v)));
    return write(stack);
  }

  private static void set(Element config, String element, String attribute, String value) {
    only(config, element).setAttribute(attribute, value);
  }

  private static Element only(Element config, String name) {
    NodeList found = config.getElementsByTagName(name);
    if (found.getLength() != 1) {
      throw new IllegalArgumentException(
          "tcp.xml has " + found.getLength() + " elements " + name + ", expected one");
    }
    return (Element) found.item(0);
  }

  private static Element firstElement(Element parent) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        return e;
      }
    }
    throw new IllegalStateException("tcp-default.xml has no transport element");
  }

  private static byte[] read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            resource + " is not on the class path: the JGroups jar ships it; is JGroups there?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + resource + ": " + e, e);
    }
  }

  private static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      DocumentBuilder builder = factory.newDocumentBuilder();
      return builder.parse(new ByteArrayInputStream(xml));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("cannot parse a JGroups stack file: " + e, e);
    }
  }

  private static String write(Document document) {
    try {
      Transformer transformer = TransformerFactory.newInstance().newTransformer();
      transformer.setOutputProperty(OutputKeys.ENCODING, StandardCharsets.UTF_8.name());
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(document), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot write the stack: " + e, e);
    }
  }
}
