package io.tenantry.server.stats;

/**
 * Calls counted over a window.
 *
 * @param calls      every call that reached the door (refused ones included)
 * @param errors     calls answered 5xx by the handler or that threw (door refusals not counted)
 * @param rejections calls refused at the door: rate limits, quotas, bulkheads (429) and overload (503)
 * @param latency    the handlers' latencies (refused calls not counted)
 */
public record StatsTotals(long calls, long errors, long rejections, LatencyHistogram latency) {
  public static final StatsTotals EMPTY = new StatsTotals(0, 0, 0, LatencyHistogram.EMPTY);

  /** Errors per call admitted to the handler, 0 when none was. */
  public double errorRate() {
    long admitted = calls - rejections;
    return admitted <= 0 ? 0 : (double) errors / admitted;
  }

  /** Rejections per call, 0 when there was none. */
  public double rejectionRate() {
    return calls <= 0 ? 0 : (double) rejections / calls;
  }
}
