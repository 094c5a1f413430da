package io.github.resnetjava.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One JMH benchmark method with fixed parameter values, and how long to run it.
 *
 * @param benchmark the benchmark class
 * @param method the {@code @Benchmark} method
 * @param params {@code @Param} values by name; parameters not named run every declared value
 * @param warmupIterations unmeasured iterations first
 * @param iterations measured iterations
 * @param iterationSeconds length of each iteration (one operation at least)
 */
record BenchCase(
    Class<?> benchmark,
    String method,
    Map<String, String> params,
    int warmupIterations,
    int iterations,
    int iterationSeconds) {

  BenchCase {
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The JMH include pattern selecting exactly this method. */
  String includePattern() {
    return "^" + Pattern.quote(benchmark.getName() + "." + method) + "$";
  }

  /** {@code InferenceBenchmark.infer} style name, as results are keyed. */
  String name() {
    return benchmark.getSimpleName() + "." + method;
  }

  /** {@code batch=8 model=PLAIN} for logs. */
  String describe() {
    return name()
        + " "
        + params.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" "));
  }
}
