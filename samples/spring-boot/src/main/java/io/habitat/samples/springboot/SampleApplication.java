package io.habitat.samples.springboot;

import io.habitat.core.InitHook;
import io.habitat.core.Supervisor;
import io.habitat.http.HabitatGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The sample's entry point. Its members form the group {@code sample.default} (initializer
 * topology, see {@code application.yaml}): the first leader runs {@link #init()} once for the whole
 * group, and no member reports ready before that has happened.
 */
@SpringBootApplication
@EnableScheduling
public class SampleApplication {

  private static final Logger log = LoggerFactory.getLogger(SampleApplication.class);

  /** Starts the application; arguments are Spring Boot's ({@code --server.port=8081}, ...). */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }

  /**
   * Initialises the group's data, once per group, on the first leader: here it only logs. It must
   * be idempotent (a leader that dies half-way is replaced and the next one runs it again) and
   * should fence its writes with the term.
   */
  /**
   * The HTTP gateway and live census dashboard of habitat-http, with one flag: {@code
   * --habitat.gateway.port=9631} (off without it). It binds to 127.0.0.1 and takes no write calls
   * unless {@code HABITAT_GATEWAY_TOKEN} is set. Closed with the context.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnProperty("habitat.gateway.port")
  HabitatGateway gateway(Supervisor supervisor, Environment environment) {
    HabitatGateway.Builder builder =
        HabitatGateway.builder(supervisor)
            .port(environment.getRequiredProperty("habitat.gateway.port", Integer.class));
    String token = System.getenv("HABITAT_GATEWAY_TOKEN");
    if (token != null && !token.isBlank()) {
      builder.token(token);
    }
    HabitatGateway gateway = builder.start();
    log.info("dashboard: {}", gateway.uri());
    return gateway;
  }

  @Bean
  InitHook init() {
    return leadership ->
        log.info("initialising the group's data in term {} (once per group)", leadership.term());
  }
}
