package io.tenantry.server.store;

import java.util.Objects;

/**
 * One span as the store keeps it: its namespace and trace id (for deletion and loading), when the collector
 * received it (epoch milliseconds, what retention counts from) and the span itself, encoded by the collector.
 * The bytes are not copied: neither side changes them after creation.
 */
public record StoredSpan(String namespace, String traceId, long receivedAt, byte[] span) {
  public StoredSpan {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(span, "span");
  }
}
