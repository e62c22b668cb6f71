package io.tenantry.bench;

import org.HdrHistogram.Histogram;

/**
 * What one closed-loop phase did: operations that succeeded, the ones that failed, wall time, the
 * server's CPU time over the same span and the part of it its JIT compilers took, the load generator's
 * CPU time (0 when it shares the server's process), the latency of each request in microseconds, and the first
 * failure (null if none).
 */
record LoadResult(long ops, long errors, long wallNanos, long serverCpuNanos, long serverJitNanos, long driverCpuNanos,
    Histogram latencyMicros,
    String firstError) {

  double opsPerSecond() {
    return wallNanos == 0 ? 0 : ops * 1e9 / wallNanos;
  }

  /** Operations per second of server CPU time: what the server pays, whatever the driver costs. */
  double opsPerCpuSecond() {
    return serverCpuNanos == 0 ? Double.NaN : ops * 1e9 / serverCpuNanos;
  }

  /** Server CPU time per wall second: 2.0 means both cores of this machine. */
  double serverCores() {
    return wallNanos == 0 ? 0 : (double) serverCpuNanos / wallNanos;
  }

  /** The server's JIT compiler threads' CPU time per wall second. */
  double jitCores() {
    return wallNanos == 0 ? 0 : (double) serverJitNanos / wallNanos;
  }

  /** The load generator's CPU time per wall second. */
  double driverCores() {
    return wallNanos == 0 ? 0 : (double) driverCpuNanos / wallNanos;
  }

  double latencyMillis(double percentile) {
    return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
  }
}
