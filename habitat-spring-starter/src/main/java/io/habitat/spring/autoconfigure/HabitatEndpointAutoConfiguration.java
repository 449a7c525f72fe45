package io.habitat.spring.autoconfigure;

import io.habitat.core.Supervisor;
import io.habitat.spring.actuate.HabitatEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the {@code habitat} Actuator endpoint ({@link HabitatEndpoint}) when Actuator is
 * present and the endpoint is available (exposed, e.g. {@code
 * management.endpoints.web.exposure.include=health,habitat}, and its access not {@code none}). Its
 * write operations need {@code management.endpoint.habitat.access=unrestricted}.
 */
@AutoConfiguration(after = HabitatAutoConfiguration.class)
@ConditionalOnClass(
    name = {
      "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
      "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
    })
public final class HabitatEndpointAutoConfiguration {

  HabitatEndpointAutoConfiguration() {}

  /** Nested, so that Actuator's condition classes are loaded only when Actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(HabitatEndpoint.class)
  @ConditionalOnBean(Supervisor.class)
  static class EndpointConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HabitatEndpoint habitatEndpoint(Supervisor supervisor) {
      return new HabitatEndpoint(supervisor);
    }
  }
}
