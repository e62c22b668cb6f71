package io.tenantry.client.internal;

import io.tenantry.client.CallOutcome;

/**
 * The client's own measurements of every attempt of a governed call (its meters and its statistics), told in
 * plain values: a {@link io.tenantry.client.CallObserver} gets an immutable record, which every call would allocate
 * for these alone. Not API.
 */
public interface AttemptRecorder {
  /**
   * @param service   the service called (it keeps what the recorder keeps per service: {@link ServiceCalls#recorded})
   * @param tenant    the call's tenant, or null
   * @param attempt   1 for the first attempt
   * @param status    the HTTP status, or 0 if no response arrived
   * @param nanos     how long the attempt took
   * @param willRetry true if the client makes another attempt after this one
   */
  void attempt(ServiceCalls service, String tenant, String method, int attempt, CallOutcome outcome, int status,
      long nanos, boolean willRetry);
}
