package io.habitat.jgroups.internal;

import org.jgroups.logging.CustomLogFactory;
import org.jgroups.logging.Log;
import org.jgroups.logging.LogFactory;
import org.jgroups.logging.Slf4jLogImpl;

/**
 * Routes JGroups' own logging to SLF4J, unless the application chose a JGroups logger itself (a
 * custom log factory, or the {@code jgroups.use.jdk_logger} / {@code jgroups.use.noop_logger}
 * system properties). Without this, JGroups prefers Log4j 2 whenever it is on the class path.
 */
public final class JGroupsLogging {

  private JGroupsLogging() {}

  /** Installs the SLF4J log factory once; later calls do nothing. Thread-safe. */
  public static synchronized void routeToSlf4j() {
    if (LogFactory.getCustomLogFactory() != null
        || LogFactory.useJdkLogger()
        || LogFactory.useNoopLogger()) {
      return;
    }
    LogFactory.setCustomLogFactory(new Slf4jFactory());
  }

  private static final class Slf4jFactory implements CustomLogFactory {
    @Override
    public Log getLog(Class<?> clazz) {
      return new Slf4jLogImpl(clazz);
    }

    @Override
    public Log getLog(String category) {
      return new Slf4jLogImpl(category);
    }
  }
}
