package io.tenantry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change on a watch stream. {@code kind} names the object type ({@link #KIND_INSTANCE},
 * {@link #KIND_TENANT}); {@code object} is the object after the change (for {@code DELETED}, its last
 * state); a {@code BOOKMARK} carries only a revision. {@code reason} says why an object went away
 * ({@link #REASON_DEREGISTERED}, {@link #REASON_EXPIRED}, {@link #REASON_DELETED}) so that a client
 * can tell a graceful leave from a lease loss; null otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchEvent(EventType type, String kind, long revision, JsonNode object, String reason) {
  public static final String KIND_INSTANCE = "instance";
  public static final String KIND_TENANT = "tenant";
  public static final String KIND_NAMESPACE = "namespace";
  /** A policy; its key is {@code <kind>/<name>} and its object a {@link io.tenantry.api.policy.Policy}. */
  public static final String KIND_POLICY = "policy";
  public static final String REASON_DEREGISTERED = "deregistered";
  public static final String REASON_EXPIRED = "expired";
  public static final String REASON_DELETED = "deleted";

  public WatchEvent {
    Names.required("type", type);
  }
}
