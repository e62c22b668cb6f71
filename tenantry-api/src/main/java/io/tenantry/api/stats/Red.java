package io.tenantry.api.stats;

/**
 * Rate, errors and duration of one side of a service (for one tenant or all) over a window, as the stats API
 * answers them. Immutable.
 *
 * @param calls         calls in the window (served: refused ones included)
 * @param ratePerSecond calls per second over the window
 * @param errorRate     errors per call admitted (served) or made (called), 0 when there was none
 * @param rejectionRate rejections per call, 0 when there was none
 * @param retries       retry attempts (called side only)
 * @param p50Millis     median latency, the upper bound of its bucket ({@link LatencyBuckets}), 0 when none
 */
public record Red(long calls, double ratePerSecond, long errors, double errorRate, long rejections,
    double rejectionRate, long retries, double p50Millis, double p95Millis, double p99Millis) {}
