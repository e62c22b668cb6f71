package io.tenantry.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change on a watch stream. {@code kind} names the object type ({@link #KIND_INSTANCE},
 * {@link #KIND_TENANT}); {@code object} is the object after the change (for {@code DELETED}, its last
 * state); a {@code BOOKMARK} carries only a revision.
 */
public record WatchEvent(EventType type, String kind, long revision, JsonNode object) {
  public static final String KIND_INSTANCE = "instance";
  public static final String KIND_TENANT = "tenant";
  public static final String KIND_NAMESPACE = "namespace";

  public WatchEvent {
    Names.required("type", type);
  }
}
