/**
 * A Spring Boot web application on the habitat starter: an initializer group whose readiness waits
 * for the group to be initialised, a leader-only scheduled job that records its term, and {@code
 * /actuator/habitat}.
 */
@NullMarked
package io.habitat.samples.springboot;

import org.jspecify.annotations.NullMarked;
