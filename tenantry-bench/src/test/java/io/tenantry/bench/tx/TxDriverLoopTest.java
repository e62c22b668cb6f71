package io.tenantry.bench.tx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TxDriverLoopTest {
  @Test
  void serve_answersEachRunWithItsFigures_andRefusesWhatItDoesNotKnow() throws Exception {
    AtomicLong calls = new AtomicLong();
    AtomicLong settledChecks = new AtomicLong();
    TxCall ok = calls::incrementAndGet;
    TxCall failing = () -> {
      throw new IllegalStateException("coordinator\nsaid no");
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TxDriverLoop(Map.of("ok", ok, "failing", failing), Map.of("ok", () -> settledChecks.incrementAndGet() > 2))
        .serve(new BufferedReader(new StringReader("run ok 2 100\nrun failing 1 50\nrun nope 1 10\nquit\nrun ok 1 10\n")),
            new PrintStream(out, true, StandardCharsets.UTF_8));

    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("txbench ready");
    TxRun run = TxRun.parse(lines.get(1));
    assertThat(run.ops()).isEqualTo(calls.get()).isPositive();
    assertThat(run.errors()).isZero();
    assertThat(run.wallNanos()).isGreaterThanOrEqualTo(100_000_000L);
    assertThat(run.firstError()).isNull();
    assertThat(settledChecks.get()).isEqualTo(3); // waited for the condition, inside the run
    TxRun failed = TxRun.parse(lines.get(2));
    assertThat(failed.ops()).isZero();
    assertThat(failed.errors()).isPositive();
    assertThat(failed.firstError()).isEqualTo("java.lang.IllegalStateException: coordinator said no");
    assertThat(lines.get(3)).startsWith("txbench unknown command: run nope 1 10");
  }

  @Test
  void txRun_roundTripsThroughItsLine() {
    TxRun r = new TxRun(12, 1, 10_000_000_000L, 250, 4_000, 9_000, "java.io.IOException: status 503 error=x");
    assertThat(TxRun.parse(r.toLine())).isEqualTo(r);
    TxRun clean = new TxRun(5, 0, 1, 1, 2, 3, null);
    assertThat(TxRun.parse(clean.toLine())).isEqualTo(clean);
  }
}
