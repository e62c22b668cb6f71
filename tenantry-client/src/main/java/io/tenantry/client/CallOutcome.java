package io.tenantry.client;

/** How one attempt of a governed call ended. Immutable. */
public enum CallOutcome {
  /** A response arrived with a status below 500 (a 4xx is the callee's answer, not a failure of the call). */
  SUCCESS,
  /** A response arrived with a 5xx status. */
  HTTP_ERROR,
  /** The attempt's timeout passed before the response headers arrived. */
  TIMEOUT,
  /** No connection could be made, or it broke before a response arrived. */
  CONNECT_FAILURE
}
