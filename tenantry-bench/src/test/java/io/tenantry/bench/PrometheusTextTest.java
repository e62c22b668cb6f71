package io.tenantry.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String ZIPKIN = """
      # HELP zipkin_collector_spans_total cumulative amount of spans received
      # TYPE zipkin_collector_spans_total counter
      zipkin_collector_spans_total{transport="http",} 1250.0
      zipkin_collector_spans_total{transport="grpc",} 50.0
      zipkin_collector_spans_dropped_total{transport="http",} 3.0
      tenantry_spans_accepted_total{namespace="a b"} 7.0 1732000000000
      tenantry_spans_intake 2.0
      """;

  @Test
  void sum_addsEverySampleOfTheMetric_andNoOther() {
    assertThat(PrometheusText.sum(ZIPKIN, "zipkin_collector_spans_total")).hasValue(1300.0);
    assertThat(PrometheusText.sum(ZIPKIN, "zipkin_collector_spans_dropped_total")).hasValue(3.0);
    assertThat(PrometheusText.sum(ZIPKIN, "tenantry_spans_accepted_total")).as("label with a space, timestamp")
        .hasValue(7.0);
    assertThat(PrometheusText.sum(ZIPKIN, "tenantry_spans_intake")).hasValue(2.0);
    assertThat(PrometheusText.sum(ZIPKIN, "zipkin_collector_spans")).isEmpty();
  }
}
