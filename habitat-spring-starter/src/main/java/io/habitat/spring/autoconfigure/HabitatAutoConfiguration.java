package io.habitat.spring.autoconfigure;

import io.habitat.core.BindHook;
import io.habitat.core.GroupConfigHook;
import io.habitat.core.HealthCheck;
import io.habitat.core.InitHook;
import io.habitat.core.ReconfigureHook;
import io.habitat.core.Service;
import io.habitat.core.ServiceConfig;
import io.habitat.core.ServiceListener;
import io.habitat.core.SuitabilityHook;
import io.habitat.core.Supervisor;
import io.habitat.core.Timing;
import io.habitat.core.Topology;
import io.habitat.core.spi.Transport;
import io.habitat.jgroups.JGroupsTransport;
import io.habitat.spring.HabitatLeadership;
import io.habitat.spring.HabitatServiceCustomizer;
import io.habitat.spring.HabitatSupervisorCustomizer;
import io.habitat.spring.HabitatTransportCustomizer;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configures habitat for a Spring Boot application: a {@link JGroupsTransport} and a {@link
 * Supervisor} from the {@code habitat.ring.*} and {@code habitat.*} properties, the application's
 * {@link Service} from {@code habitat.service.*} and its hook beans, the {@link HabitatLifecycle}
 * that joins on start and leaves on shutdown, Spring application events, the readiness gate, and
 * {@link HabitatLeadership} for leader-only work.
 *
 * <p>Each bean backs off when the application defines its own: a {@link Transport} (for example an
 * in-memory one in tests), a {@link Supervisor}, a {@link ServiceConfig}, a {@link Service}, a
 * {@link HabitatLeadership}. Customizer beans ({@link HabitatTransportCustomizer}, {@link
 * HabitatSupervisorCustomizer}, {@link HabitatServiceCustomizer}) run in {@code @Order}. The hooks
 * are beans of the core hook types ({@link InitHook}, {@link HealthCheck}, {@link SuitabilityHook},
 * {@link ReconfigureHook}, {@link GroupConfigHook}, {@link BindHook}): at most one of each (mark
 * one {@code @Primary} otherwise); every {@link ServiceListener} bean is added to the service.
 *
 * <p>Off with {@code habitat.enabled=false}.
 */
@AutoConfiguration(after = ApplicationAvailabilityAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "habitat.enabled", matchIfMissing = true)
@EnableConfigurationProperties(HabitatProperties.class)
public final class HabitatAutoConfiguration {

  HabitatAutoConfiguration() {}

  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean({Transport.class, Supervisor.class})
  JGroupsTransport habitatTransport(
      HabitatProperties properties, ObjectProvider<HabitatTransportCustomizer> customizers) {
    JGroupsTransport.Builder builder = PropertiesMapper.transport(properties);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw PropertiesMapper.invalid(
          PropertiesMapper.ringPropertyOf(String.valueOf(e.getMessage())), null, e);
    }
  }

  @Bean
  @ConditionalOnMissingBean
  Supervisor habitatSupervisor(
      HabitatProperties properties,
      Transport transport,
      ObjectProvider<HabitatSupervisorCustomizer> customizers) {
    Supervisor.Builder builder = Supervisor.builder();
    try {
      builder.name(properties.getName());
    } catch (IllegalArgumentException e) {
      throw PropertiesMapper.invalid("habitat.name", properties.getName(), e);
    }
    builder.transport(transport);
    Timing timing = PropertiesMapper.timing(properties.getTiming());
    if (timing != null) {
      builder.timing(timing);
    }
    builder.dataDirectory(PropertiesMapper.dataDirectory(properties));
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  @Bean
  @ConditionalOnMissingBean({ServiceConfig.class, Service.class})
  ServiceConfig habitatServiceConfig(
      HabitatProperties properties,
      Environment environment,
      ObjectProvider<InitHook> init,
      ObjectProvider<HealthCheck> healthCheck,
      ObjectProvider<SuitabilityHook> suitability,
      ObjectProvider<ReconfigureHook> reconfigure,
      ObjectProvider<GroupConfigHook> groupConfig,
      ObjectProvider<BindHook> bindChanged,
      ObjectProvider<HabitatServiceCustomizer> customizers) {
    HabitatProperties.ServiceSettings settings = properties.getService();
    ServiceConfig.Builder builder =
        PropertiesMapper.service(settings, environment.getProperty("spring.application.name"));
    InitHook initHook = init.getIfAvailable();
    if (initHook != null) {
      if (settings.getTopology() != Topology.INITIALIZER) {
        throw new InvalidHabitatPropertyException(
            "habitat.service.topology",
            settings.getTopology().configName(),
            "an InitHook bean is defined, but only the initializer topology runs it",
            "Set habitat.service.topology=initializer, or remove the InitHook bean.",
            null);
      }
      builder.init(initHook);
    }
    HealthCheck check = healthCheck.getIfAvailable();
    if (check != null) {
      builder.healthCheck(check);
    }
    SuitabilityHook suitabilityHook = suitability.getIfAvailable();
    if (suitabilityHook != null) {
      builder.suitability(suitabilityHook);
    }
    ReconfigureHook reconfigureHook = reconfigure.getIfAvailable();
    if (reconfigureHook != null) {
      builder.onReconfigure(reconfigureHook);
    }
    GroupConfigHook groupConfigHook = groupConfig.getIfAvailable();
    if (groupConfigHook != null) {
      builder.onGroupConfig(groupConfigHook);
    }
    BindHook bindHook = bindChanged.getIfAvailable();
    if (bindHook != null) {
      builder.onBindChanged(bindHook);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw PropertiesMapper.invalid(
          "habitat.service.topology", settings.getTopology().configName(), e);
    }
  }

  @Bean
  HabitatEventDispatcher habitatEventDispatcher(
      ApplicationEventPublisher publisher, HabitatProperties properties) {
    return new HabitatEventDispatcher(publisher, properties.getName());
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(ServiceConfig.class)
  Service habitatService(
      Supervisor supervisor,
      ServiceConfig config,
      HabitatEventDispatcher events,
      ObjectProvider<ServiceListener> listeners) {
    AtomicReference<@Nullable Service> registered = new AtomicReference<>();
    ServiceConfig.Hooks hooks = config.hooks();
    ReconfigureHook userReconfigure = hooks.onReconfigure();
    GroupConfigHook userGroupConfig = hooks.onGroupConfig();
    ServiceConfig withEvents =
        config.toBuilder()
            .onReconfigure(
                leader -> {
                  try {
                    if (userReconfigure != null) {
                      userReconfigure.reconfigure(leader);
                    }
                  } finally {
                    Service s = registered.get();
                    if (s != null) {
                      events.reconfigured(s, leader);
                    }
                  }
                })
            .onGroupConfig(
                groupConfig -> {
                  try {
                    if (userGroupConfig != null) {
                      userGroupConfig.changed(groupConfig);
                    }
                  } finally {
                    Service s = registered.get();
                    if (s != null) {
                      events.configChanged(s, groupConfig);
                    }
                  }
                })
            .build();
    Service service = supervisor.register(withEvents);
    registered.set(service);
    events.attach(service);
    listeners.orderedStream().forEach(service::addListener);
    return service;
  }

  /** Publishes events of a {@code Service} bean the application defined itself. */
  @Bean
  @ConditionalOnSingleCandidate(Service.class)
  SmartInitializingSingleton habitatServiceEvents(Service service, HabitatEventDispatcher events) {
    return () -> events.attach(service);
  }

  @Bean
  @ConditionalOnMissingBean
  HabitatLifecycle habitatLifecycle(
      Supervisor supervisor,
      ObjectProvider<Service> service,
      HabitatProperties properties,
      HabitatEventDispatcher events) {
    return new HabitatLifecycle(supervisor, service.getIfUnique(), properties.getStartup(), events);
  }

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(Service.class)
  HabitatLeadership habitatLeadership(Service service) {
    return new HabitatLeadership(service);
  }

  @Bean
  @ConditionalOnBooleanProperty(name = "habitat.readiness.enabled", matchIfMissing = true)
  @ConditionalOnSingleCandidate(Service.class)
  @ConditionalOnBean(ApplicationAvailability.class)
  HabitatReadinessGate habitatReadinessGate(
      Service service,
      ApplicationAvailability availability,
      ApplicationEventPublisher publisher,
      HabitatEventDispatcher events) {
    return new HabitatReadinessGate(service, availability, publisher, events);
  }
}
