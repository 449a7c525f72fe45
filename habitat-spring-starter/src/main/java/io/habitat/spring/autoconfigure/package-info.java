/**
 * Spring Boot auto-configuration of habitat: the supervisor on JGroups and the application's
 * service from {@code habitat.*} properties ({@link
 * io.habitat.spring.autoconfigure.HabitatProperties}), the context lifecycle, readiness gating,
 * events, and the optional Actuator endpoint, health indicator and metrics.
 */
@NullMarked
package io.habitat.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
