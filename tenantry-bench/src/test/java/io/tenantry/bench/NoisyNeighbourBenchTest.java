package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The noisy-neighbour benchmark's smoke run (a few seconds): the real control plane, SDK filter and
 * rate-limit policy. It proves the harness and the limit, not the latency bar (which needs the full
 * run's longer phases on a quiet machine).
 */
class NoisyNeighbourBenchTest {
  @TempDir
  Path work;

  @Test
  @Timeout(20)
  void smokeRun_refusesInitechsExcess_andServesAcme_withEveryFigureReported() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
    Results results = new Results(log, null);
    NoisyNeighbourBench.Settings smoke = NoisyNeighbourBench.Settings.smoke();

    new NoisyNeighbourBench(smoke, results, log, work).run();

    for (String scenario : List.of(NoisyNeighbourBench.ALONE, NoisyNeighbourBench.FLOOD)) {
      assertThat(results.find("tenantry", scenario, "requests")).as(scenario + " " + out)
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
      assertThat(results.find("tenantry", scenario, "error_pct")).as(scenario + " " + out)
          .hasValueSatisfying(f -> assertThat(f.value()).isZero());
      assertThat(results.find("tenantry", scenario, "p99_ms")).as(scenario)
          .hasValueSatisfying(f -> assertThat(f.value()).isPositive());
    }
    double seconds = smoke.phase().toMillis() / 1000.0;
    assertThat(results.find("tenantry", NoisyNeighbourBench.INITECH, "refused")).as(out.toString())
        .hasValueSatisfying(f -> assertThat(f.value()).isGreaterThan(smoke.initechLimit() * seconds * 3));
    // what got through is its limit over the phase plus one burst, with slack for the bucket's refill edges
    assertThat(results.find("tenantry", NoisyNeighbourBench.INITECH, "admitted")).as(out.toString())
        .hasValueSatisfying(f -> assertThat(f.value()).isPositive()
            .isLessThanOrEqualTo(smoke.initechLimit() * (seconds + 1) * 1.2));
    String section = NoisyNeighbourBench.markdown(results.figures());
    assertThat(section).contains("## Noisy neighbour", "| p99_ms (ms) |", "| refused (requests) |")
        .containsPattern("(MET|MISSED) +acme's p99");
  }
}
