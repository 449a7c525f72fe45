/**
 * The habitat test kit: what users and the project need to test code built on habitat without mocks
 * of it. {@code network}: a deterministic in-memory ring on virtual time. {@code store}: a {@link
 * io.habitat.core.spi.LocalStore} in memory that survives simulated restarts. {@code compliance}:
 * the suite every {@link io.habitat.core.spi.Transport} must pass. {@code process}: a launcher for
 * members as separate JVMs on 127.0.0.1.
 */
@NullMarked
package io.habitat.test;

import org.jspecify.annotations.NullMarked;
