/**
 * Measurements with members as separate JVMs: {@link io.habitat.benchmarks.FailoverBenchmark}
 * (failover and start-up times, min/median/max) and the member JVM it starts, {@link
 * io.habitat.benchmarks.BenchmarkMember}. They measure and print; they assert nothing.
 */
@NullMarked
package io.habitat.benchmarks;

import org.jspecify.annotations.NullMarked;
