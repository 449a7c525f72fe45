/**
 * Spring Boot Actuator support: the {@code habitat} endpoint, the {@code habitat} health indicator,
 * and a health check that feeds the application's own Actuator health to habitat. Used only when
 * Actuator is on the class path.
 */
@NullMarked
package io.habitat.spring.actuate;

import org.jspecify.annotations.NullMarked;
