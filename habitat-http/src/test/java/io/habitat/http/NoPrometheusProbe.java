package io.habitat.http;

import io.habitat.core.MemberId;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceGroup;
import io.habitat.core.Supervisor;
import io.habitat.core.spi.RingAddress;
import io.habitat.core.spi.Transport;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * Run by {@link OptionalPrometheusTest} in a class loader without Micrometer: starts a gateway on a
 * latent supervisor and reads {@code /census} and {@code /metrics}. Uses nothing but the JDK,
 * habitat-core and habitat-http.
 */
public final class NoPrometheusProbe {

  private NoPrometheusProbe() {}

  /** The status codes of {@code /census} and {@code /metrics}, and the body of the latter. */
  public static String run(String directory) throws Exception {
    try (Supervisor supervisor =
        Supervisor.builder().transport(new Unused()).dataDirectory(Path.of(directory)).build()) {
      supervisor.register(
          ServiceConfig.builder(ServiceGroup.parse("db.probe")).memberId(MemberId.of("p")).build());
      try (HabitatGateway gw = HabitatGateway.builder(supervisor).port(0).start()) {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> census =
            client.send(
                HttpRequest.newBuilder(gw.uri().resolve("/census")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> metrics =
            client.send(
                HttpRequest.newBuilder(gw.uri().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return census.statusCode() + " " + metrics.statusCode() + " " + metrics.body();
      }
    }
  }

  private static final class Unused implements Transport {
    @Override
    public void start(Receiver receiver) {
      throw new IllegalStateException("not used");
    }

    @Override
    public RingAddress localAddress() {
      throw new IllegalStateException("not used");
    }

    @Override
    public void send(RingAddress to, byte[] message) {}

    @Override
    public void sendToAll(byte[] message) {}

    @Override
    public void close() {}
  }
}
