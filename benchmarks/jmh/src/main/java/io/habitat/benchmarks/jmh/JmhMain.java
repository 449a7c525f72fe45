package io.habitat.benchmarks.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs this module's benchmarks: {@code quick} (the default: one fork, two 1 s warm-up and three 1
 * s measurement iterations, about a minute in all) or {@code full} (three forks, five 2 s warm-up
 * and ten 2 s measurement iterations). Writes JMH's JSON to the given file and its table to
 * standard output. Blocks until JMH is done.
 *
 * <pre>
 * JmhMain [quick|full] [RESULT.json]
 * </pre>
 */
public final class JmhMain {

  private JmhMain() {}

  /** Runs the benchmarks; see the class comment. */
  public static void main(String[] args) throws RunnerException {
    String mode = args.length > 0 ? args[0] : "quick";
    String result = args.length > 1 ? args[1] : "jmh-results.json";
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include("io\\.habitat\\.benchmarks\\.jmh\\..*Benchmark")
            .timeUnit(TimeUnit.NANOSECONDS)
            .resultFormat(ResultFormatType.JSON)
            .result(result)
            .jvmArgsAppend("-Xmx512m");
    switch (mode) {
      case "quick" ->
          options
              .forks(1)
              .warmupIterations(2)
              .warmupTime(TimeValue.seconds(1))
              .measurementIterations(3)
              .measurementTime(TimeValue.seconds(1));
      case "full" ->
          options
              .forks(3)
              .warmupIterations(5)
              .warmupTime(TimeValue.seconds(2))
              .measurementIterations(10)
              .measurementTime(TimeValue.seconds(2));
      default -> {
        System.err.println("usage: JmhMain [quick|full] [RESULT.json]; was '" + mode + "'");
        System.exit(2);
        return;
      }
    }
    new Runner(options.build()).run();
  }
}
