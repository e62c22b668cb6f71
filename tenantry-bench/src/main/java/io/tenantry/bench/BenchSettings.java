package io.tenantry.bench;

import java.time.Duration;
import java.util.List;

/**
 * Sizes and durations of one run: {@link #full()} for the real figures, {@link #smoke()} for a run
 * of a few seconds that proves the harness works.
 */
record BenchSettings(
    String mode,
    List<Integer> levels,
    RegistryBench.Settings registry,
    List<Integer> watchers,
    FanoutBench.Settings fanout,
    FanoutBench.Settings visibility,
    FanoutBench.Settings fanoutWarmup,
    int fanoutWarmupWatchers,
    int eurekaVisibilitySamples) {

  static BenchSettings full() {
    return new BenchSettings("full", List.of(1_000, 10_000, 100_000),
        new RegistryBench.Settings(64, Duration.ofSeconds(90), Duration.ofSeconds(40), Duration.ofSeconds(4), 100),
        List.of(1_000, 5_000),
        new FanoutBench.Settings(40, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(120)),
        new FanoutBench.Settings(10, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(10)),
        new FanoutBench.Settings(40, Duration.ofMillis(50), Duration.ofSeconds(10), Duration.ofSeconds(60)),
        1_000,
        6);
  }

  /** The same with other registry sizes and watcher counts; null keeps the current ones. */
  BenchSettings withSizes(List<Integer> newLevels, List<Integer> newWatchers) {
    return new BenchSettings(mode, newLevels == null ? levels : List.copyOf(newLevels), registry,
        newWatchers == null ? watchers : List.copyOf(newWatchers), fanout, visibility, fanoutWarmup,
        fanoutWarmupWatchers, eurekaVisibilitySamples);
  }

  /** The same with other registry warm-up and phase durations; null keeps the current ones. */
  BenchSettings withPhases(Duration warmup, Duration phase) {
    RegistryBench.Settings r = new RegistryBench.Settings(registry.connections(), registry.registerMax(),
        warmup == null ? registry.warmup() : warmup, phase == null ? registry.phase() : phase, registry.batchSize());
    return new BenchSettings(mode, levels, r, watchers, fanout, visibility, fanoutWarmup, fanoutWarmupWatchers,
        eurekaVisibilitySamples);
  }

  static BenchSettings smoke() {
    return new BenchSettings("smoke", List.of(200),
        new RegistryBench.Settings(8, Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMillis(300), 20),
        List.of(20),
        new FanoutBench.Settings(5, Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(10)),
        new FanoutBench.Settings(3, Duration.ofMillis(50), Duration.ofSeconds(5), Duration.ofSeconds(10)),
        new FanoutBench.Settings(3, Duration.ofMillis(20), Duration.ofSeconds(5), Duration.ofSeconds(10)),
        5,
        0);
  }
}
