/**
 * What a Spring Boot application uses of habitat besides the core API: customizers of the
 * auto-configured builders ({@link io.habitat.spring.HabitatServiceCustomizer}, {@link
 * io.habitat.spring.HabitatTransportCustomizer}, {@link
 * io.habitat.spring.HabitatSupervisorCustomizer}) and the guard for leader-only work ({@link
 * io.habitat.spring.HabitatLeadership}). The auto-configuration lives in {@code
 * io.habitat.spring.autoconfigure}, the Spring application events in {@code
 * io.habitat.spring.event}, the Actuator parts in {@code io.habitat.spring.actuate}.
 */
@NullMarked
package io.habitat.spring;

import org.jspecify.annotations.NullMarked;
