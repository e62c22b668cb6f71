package io.tenantry.client.internal;

import io.tenantry.client.RequestHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told about every request at a service's {@link Door}: one per concern (the trace of the request, its
 * metrics). Called on the request's thread, {@link #entered} and {@link #exited} on the same thread around the
 * handler (so a scope opened in one may be closed in the other). Must be thread-safe and quick; an exception
 * thrown here is logged and ignored.
 */
public interface DoorObserver {
  DoorObserver[] NONE = new DoorObserver[0];
  Logger LOG = LoggerFactory.getLogger(DoorObserver.class);

  /**
   * An admitted request enters its handler.
   *
   * @param tenant   the tenant it is served for, or null
   * @param previous what this observer answered for an earlier request of this thread, let out since (to reuse
   *                 rather than allocate), or null
   * @return what {@link #exited} is handed back (a span and its scope), or null
   */
  <R> Object entered(R request, RequestHeaders<? super R> headers, String tenant, String method, String path,
      Object previous);

  /**
   * The admitted request left its handler, which answered {@code status} (0 if it threw).
   *
   * @param entered what {@link #entered} answered for it
   * @param nanos   how long it was inside: from its admission until now
   */
  void exited(Object entered, String tenant, String method, String path, int status, long nanos);

  /**
   * A request was refused at the door without reaching its handler.
   *
   * @param status 400 (malformed tenant), 403 (suspended tenant), 429 (rate limit, quota, bulkhead), 503 (overloaded)
   * @param type   the refusal's problem type, e.g. {@code rate-limited}, {@code bulkhead-full}
   */
  void refused(String tenant, String method, String path, int status, String type);
}
