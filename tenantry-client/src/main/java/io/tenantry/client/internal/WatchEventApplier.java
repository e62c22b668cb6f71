package io.tenantry.client.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.EventType;
import io.tenantry.api.Instance;
import io.tenantry.api.Tenant;
import io.tenantry.api.WatchEvent;
import io.tenantry.api.policy.Policy;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one Server-Sent Event of the watch stream into a change of the {@link DiscoveryCache}. An
 * unreadable or invalid event is logged and skipped: one bad object must not stop the stream.
 * Thread-safety: stateless apart from its collaborators; used by the watch thread.
 */
final class WatchEventApplier {
  private static final Logger LOG = LoggerFactory.getLogger(WatchEventApplier.class);

  private final DiscoveryCache cache;
  private final ObjectMapper mapper;
  private final String name;

  WatchEventApplier(DiscoveryCache cache, ObjectMapper mapper, String name) {
    this.cache = cache;
    this.mapper = mapper;
    this.name = name;
  }

  /** Applies {@code e}; returns the revision it carried (bookmarks included), or -1 if unreadable. */
  long apply(SseParser.Event e) {
    WatchEvent event;
    try {
      event = mapper.readValue(e.data(), WatchEvent.class);
    } catch (IOException | RuntimeException ex) {
      LOG.warn("watch {}: skipping an unreadable event (id {}): {}", name, e.id(), ex.toString());
      return -1;
    }
    if (event.type() != EventType.BOOKMARK && event.object() != null) {
      try {
        if (WatchEvent.KIND_INSTANCE.equals(event.kind())) {
          Instance i = mapper.treeToValue(event.object(), Instance.class);
          cache.applyEvent(event.type(), i, event.revision(), event.reason());
        } else if (WatchEvent.KIND_TENANT.equals(event.kind())) {
          Tenant t = mapper.treeToValue(event.object(), Tenant.class);
          cache.applyTenantEvent(event.type(), t, event.revision());
        } else if (WatchEvent.KIND_POLICY.equals(event.kind())) {
          Policy p = mapper.treeToValue(event.object(), Policy.class);
          cache.policies().applyEvent(event.type(), p, event.revision());
        }
      } catch (IOException | RuntimeException ex) {
        LOG.warn("watch {}: skipping an invalid {} event at revision {}: {}", name, event.kind(), event.revision(),
            ex.toString());
      }
    }
    return event.revision();
  }
}
