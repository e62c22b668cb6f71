package io.tenantry.client.internal;

import static io.tenantry.client.internal.Fixtures.up;
import static io.tenantry.client.internal.Fixtures.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tenantry.api.Instance;
import io.tenantry.client.LoadBalancer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadBalancerTest {
  private static final int N = 20_000;

  @Test
  void roundRobin_visitsEachCandidateInTurn() {
    LoadBalancer lb = LoadBalancer.roundRobin();
    List<Instance> c = List.of(up("a"), up("b"), up("c"));
    assertThat(List.of(lb.choose(c).id(), lb.choose(c).id(), lb.choose(c).id(), lb.choose(c).id()))
        .containsExactly("a", "b", "c", "a");
  }

  @Test
  void weightedRandom_followsWeights() {
    Map<String, Integer> counts = count(LoadBalancer.weightedRandom(),
        List.of(weighted("a", 100), weighted("b", 300), weighted("z", 0)));
    assertThat(counts.getOrDefault("z", 0)).isZero();
    assertThat(counts.get("b") / (double) N).isCloseTo(0.75, within(0.03));
  }

  @Test
  void weightedRandom_allZeroWeights_isUniform() {
    Map<String, Integer> counts = count(LoadBalancer.weightedRandom(), List.of(weighted("a", 0), weighted("b", 0)));
    assertThat(counts.get("a") / (double) N).isCloseTo(0.5, within(0.03));
  }

  @Test
  void powerOfTwo_withEqualLoad_spreadsEvenly() {
    Map<String, Integer> counts = count(LoadBalancer.powerOfTwoChoices(), List.of(up("a"), up("b"), up("c")));
    for (String id : List.of("a", "b", "c")) {
      assertThat(counts.get(id) / (double) N).isCloseTo(1 / 3.0, within(0.03));
    }
  }

  @Test
  void powerOfTwo_prefersFewerRequestsInFlight() {
    LoadBalancer lb = LoadBalancer.powerOfTwoChoices();
    Instance busy = up("busy");
    Instance idle = up("idle");
    for (int i = 0; i < 5; i++) {
      lb.onStart(busy);
    }
    Map<String, Integer> counts = count(lb, List.of(busy, idle));
    assertThat(counts.getOrDefault("busy", 0)).isZero();
  }

  @Test
  void powerOfTwo_prefersLowerLatency_andPenalizesFailures() {
    LoadBalancer lb = LoadBalancer.powerOfTwoChoices();
    Instance slow = up("slow");
    Instance fast = up("fast");
    Instance failing = up("failing");
    lb.onStart(slow);
    lb.onFinish(slow, Duration.ofMillis(400), true);
    lb.onStart(fast);
    lb.onFinish(fast, Duration.ofMillis(5), true);
    lb.onStart(failing);
    lb.onFinish(failing, Duration.ofMillis(1), false);
    assertThat(count(lb, List.of(slow, fast)).getOrDefault("slow", 0)).isZero();
    assertThat(count(lb, List.of(failing, fast)).getOrDefault("failing", 0)).isZero();
  }

  @Test
  void powerOfTwo_countsInFlightBackDown() {
    PowerOfTwoChoicesBalancer lb = new PowerOfTwoChoicesBalancer();
    Instance a = up("a");
    lb.onStart(a);
    lb.onStart(a);
    lb.onFinish(a, Duration.ofMillis(1), true);
    assertThat(lb.inFlight(a)).isEqualTo(1);
  }

  @Test
  void everyBalancer_withOneCandidate_returnsIt() {
    for (LoadBalancer lb : List.of(LoadBalancer.roundRobin(), LoadBalancer.weightedRandom(),
        LoadBalancer.powerOfTwoChoices())) {
      assertThat(lb.choose(List.of(up("only"))).id()).isEqualTo("only");
    }
  }

  private static Map<String, Integer> count(LoadBalancer lb, List<Instance> candidates) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < N; i++) {
      counts.merge(lb.choose(candidates).id(), 1, Integer::sum);
    }
    return counts;
  }
}
