/**
 * JMH microbenchmarks of habitat-core's hot paths: the wire codec ({@link
 * io.habitat.benchmarks.jmh.WireCodecBenchmark}, {@link
 * io.habitat.benchmarks.jmh.ClaimCodecBenchmark}) and the election engine's steady state ({@link
 * io.habitat.benchmarks.jmh.GroupEngineBenchmark}); {@link io.habitat.benchmarks.jmh.JmhMain} runs
 * them. They use {@code io.habitat.core.internal}, where both live: the one exception to the rule
 * that nothing outside habitat-core imports it, checked by this module's architecture test.
 */
@NullMarked
package io.habitat.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
