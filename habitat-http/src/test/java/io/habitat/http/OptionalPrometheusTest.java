package io.habitat.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.habitat.core.Supervisor;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * micrometer-registry-prometheus is an optional dependency: the gateway loads and serves without it
 * (and without Micrometer at all), and {@code /metrics} then says how to turn it on.
 */
class OptionalPrometheusTest {

  @Test
  void theGatewayRunsWithoutMicrometerOnTheClassPath(@TempDir Path dir) throws Exception {
    List<URL> urls = new ArrayList<>();
    for (Class<?> c :
        List.of(
            HabitatGateway.class, // habitat-http
            NoPrometheusProbe.class, // this module's test classes
            Supervisor.class, // habitat-core
            tools.jackson.databind.ObjectMapper.class,
            tools.jackson.core.JsonParser.class,
            com.fasterxml.jackson.annotation.JsonProperty.class,
            tools.jackson.dataformat.toml.TomlMapper.class,
            org.slf4j.LoggerFactory.class)) {
      URL url = c.getProtectionDomain().getCodeSource().getLocation();
      if (!urls.contains(url)) {
        urls.add(url);
      }
    }
    try (URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(
              () -> loader.loadClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"))
          .isInstanceOf(ClassNotFoundException.class);
      assertThatThrownBy(() -> loader.loadClass("io.micrometer.core.instrument.MeterRegistry"))
          .isInstanceOf(ClassNotFoundException.class);

      Method run =
          loader.loadClass(NoPrometheusProbe.class.getName()).getMethod("run", String.class);
      String result = (String) run.invoke(null, dir.toString());

      assertThat(result).startsWith("200 404 ").contains("micrometer-registry-prometheus");
    }
  }
}
