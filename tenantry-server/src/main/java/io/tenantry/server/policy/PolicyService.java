package io.tenantry.server.policy;

import io.tenantry.api.EventType;
import io.tenantry.api.ListResult;
import io.tenantry.api.ValidationException;
import io.tenantry.api.WatchEvent;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpec;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.PolicyAction;
import io.tenantry.server.store.PolicyStore;
import io.tenantry.server.store.PolicyVersion;
import io.tenantry.server.tenant.NamespaceDirectory;
import io.tenantry.server.watch.ChangeFeed;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Policies of a namespace: list, read, put (create or replace), delete, history and rollback. Every write
 * is validated with {@link PolicySpecs#parse}, numbered with the policy's next version, stored with its
 * history entry under a revision taken from the {@link ChangeFeed}, and so appears on watch streams as a
 * {@link WatchEvent#KIND_POLICY} event whose object is the {@link Policy}.
 *
 * <p>Rules: a write whose content equals the current one is a no-op (no version, no event); a write may
 * require the current version ({@code expectedVersion}, from {@code If-Match}); for kinds with
 * {@link PolicyKind#onePerService()}, one service has at most one policy of the kind (policies for
 * {@code *} are not limited). Versions of a policy are never reused: they keep counting across a delete
 * and a re-creation. A rollback may restore a deleted policy.
 *
 * <p>Thread-safe: the checks that decide a write run inside the feed's append, under the namespace's
 * ordering lock, so two writes of one namespace never interleave.
 */
public final class PolicyService {
  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 500;
  /** Tries of a write that lost a race against the creation or deletion of the same policy. */
  private static final int MAX_ATTEMPTS = 3;

  private final PolicyStore store;
  private final ChangeFeed feed;
  private final NamespaceDirectory namespaces;
  private final Clock clock;

  /** The outcome of a put or rollback: the current policy and whether this write created it. */
  public record Written(Policy policy, boolean created) {}

  public PolicyService(PolicyStore store, ChangeFeed feed, NamespaceDirectory namespaces, Clock clock) {
    this.store = store;
    this.feed = feed;
    this.namespaces = namespaces;
    this.clock = clock;
  }

  /** The policies of a namespace, optionally of one kind and/or service, and the revision to watch from. */
  public ListResult<Policy> list(String namespace, PolicyKind kind, String service) {
    requireNamespace(namespace);
    long revision = feed.listRevision(namespace);
    return new ListResult<>(revision, store.list(namespace, kind, service));
  }

  public Optional<Policy> get(String namespace, PolicyKind kind, String name) {
    requireNamespace(namespace);
    return store.get(namespace, kind, name);
  }

  /** The policy or a 404. */
  public Policy require(String namespace, PolicyKind kind, String name) {
    return get(namespace, kind, name).orElseThrow(() -> notFound(namespace, kind, name));
  }

  /**
   * Creates or replaces a policy. 400 naming the field if the spec is invalid, 412 if
   * {@code expectedVersion} is set and is not the current version, 409 if another policy of a
   * one-per-service kind governs the service.
   *
   * @param expectedVersion the version the caller last saw, or null to write whatever the current one is
   * @param by              the id of the key making the change
   */
  public Written put(String namespace, PolicyKind kind, String name, PolicySpec spec, Long expectedVersion, String by) {
    requireNamespace(namespace);
    validate(kind, spec);
    return write(namespace, kind, name, spec, expectedVersion, by, null);
  }

  /** Deletes a policy; 404 if there is none, 412 if {@code expectedVersion} is set and is not current. */
  public void delete(String namespace, PolicyKind kind, String name, Long expectedVersion, String by) {
    Policy last = require(namespace, kind, name);
    checkVersion(last, expectedVersion);
    feed.append(namespace, WatchEvent.KIND_POLICY, last.key(), EventType.DELETED, WatchEvent.REASON_DELETED, rev -> {
      Policy current = store.get(namespace, kind, name).orElseThrow(() -> notFound(namespace, kind, name));
      checkVersion(current, expectedVersion);
      Policy gone = new Policy(namespace, kind, name, current.service(), current.dryRun(), current.description(),
          current.spec(), store.lastVersion(namespace, kind, name) + 1, rev, by, now());
      store.append(new PolicyVersion(PolicyAction.DELETED, null, gone));
      return gone;
    });
  }

  /**
   * A page of a policy's history, newest first: at most {@code limit} versions older than {@code before}
   * (null for the newest). 404 if the policy was never written; a deleted policy keeps its history.
   */
  public PolicyHistory history(String namespace, PolicyKind kind, String name, Long before, int limit) {
    requireNamespace(namespace);
    if (limit < 1 || limit > MAX_HISTORY_LIMIT) {
      throw ApiException.badRequest("limit", "limit: " + limit + " (expected: 1.." + MAX_HISTORY_LIMIT + ")");
    }
    if (store.lastVersion(namespace, kind, name) == 0) {
      throw notFound(namespace, kind, name);
    }
    List<PolicyVersion> page = store.history(namespace, kind, name, before == null ? Long.MAX_VALUE : before, limit + 1);
    if (page.size() <= limit) {
      return new PolicyHistory(page, null);
    }
    List<PolicyVersion> items = page.subList(0, limit);
    return new PolicyHistory(items, items.get(limit - 1).policy().version());
  }

  /**
   * Writes the content of version {@code version} again, as a new version with action
   * {@code rolled-back}; restores the policy if it was deleted. 404 for a version the history does not
   * hold, 400 for a version that records a deletion, 409 if that content no longer passes validation or
   * breaks the one-per-service rule, 412 as {@link #put}. Rolling back to the current content is a no-op.
   */
  public Written rollback(String namespace, PolicyKind kind, String name, long version, Long expectedVersion,
      String by) {
    requireNamespace(namespace);
    PolicyVersion target = store.version(namespace, kind, name, version).orElseThrow(() ->
        ApiException.notFound("version " + version + " of policy '" + kind + "/" + name + "' in namespace '"
            + namespace + "'"));
    if (target.action() == PolicyAction.DELETED) {
      throw ApiException.badRequest("version", "version: " + version
          + " records a deletion (expected: a version that was created, updated or rolled back)");
    }
    PolicySpec content = target.policy().toSpec();
    try {
      PolicySpecs.parse(kind, content.spec());
    } catch (ValidationException e) {
      throw ApiException.conflict("version " + version + " no longer passes validation: " + e.getMessage());
    }
    return write(namespace, kind, name, content, expectedVersion, by, version);
  }

  /**
   * A put ({@code restored} null) or a rollback to version {@code restored}. The event type (ADDED or
   * MODIFIED) is chosen before the feed's lock is taken; if a concurrent write created or deleted the
   * policy in between, the write is judged again, a few times at most.
   */
  private Written write(String namespace, PolicyKind kind, String name, PolicySpec content, Long expectedVersion,
      String by, Long restored) {
    for (int attempt = 1; ; attempt++) {
      try {
        return writeOnce(namespace, kind, name, content, expectedVersion, by, restored);
      } catch (Raced e) {
        if (attempt == MAX_ATTEMPTS) {
          throw ApiException.conflict("policy '" + kind + "/" + name
              + "' was created and deleted by concurrent requests meanwhile; read it and try again");
        }
      }
    }
  }

  private Written writeOnce(String namespace, PolicyKind kind, String name, PolicySpec content, Long expectedVersion,
      String by, Long restored) {
    Optional<Policy> before = store.get(namespace, kind, name);
    checkVersion(before.orElse(null), expectedVersion);
    if (before.isPresent() && before.get().toSpec().equals(content)) {
      return new Written(before.get(), false);
    }
    boolean exists = before.isPresent();
    EventType type = exists ? EventType.MODIFIED : EventType.ADDED;
    Policy written = feed.append(namespace, WatchEvent.KIND_POLICY, kind.wire() + "/" + name, type, rev -> {
      requireNamespace(namespace);
      Optional<Policy> current = store.get(namespace, kind, name);
      if (current.isPresent() != exists) {
        throw Raced.INSTANCE;
      }
      checkVersion(current.orElse(null), expectedVersion);
      checkOnePerService(namespace, kind, name, content);
      Policy p = new Policy(namespace, kind, name, content.service(), content.dryRun(), content.description(),
          content.spec(), store.lastVersion(namespace, kind, name) + 1, rev, by, now());
      PolicyAction action = restored != null ? PolicyAction.ROLLED_BACK
          : exists ? PolicyAction.UPDATED : PolicyAction.CREATED;
      store.append(new PolicyVersion(action, restored, p));
      return p;
    });
    return new Written(written, !exists);
  }

  /** A concurrent write created or deleted the policy between the first look and the feed's lock. */
  private static final class Raced extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Raced INSTANCE = new Raced();

    private Raced() {
      super("raced", null, false, false);
    }
  }

  private static void validate(PolicyKind kind, PolicySpec spec) {
    try {
      PolicySpecs.parse(kind, spec.spec());
    } catch (ValidationException e) {
      throw ApiException.badRequest(e.field(), e.getMessage());
    }
  }

  /** 412 unless {@code expected} is null or the version of {@code current} (null: there is none). */
  private static void checkVersion(Policy current, Long expected) {
    if (expected == null) {
      return;
    }
    if (current == null) {
      throw new ApiException(412, "precondition-failed",
          "If-Match: version " + expected + " (the policy does not exist)", "If-Match");
    }
    if (current.version() != expected) {
      throw new ApiException(412, "precondition-failed", "If-Match: version " + expected
          + " (the current version is " + current.version() + "; read it and try again)", "If-Match");
    }
  }

  private void checkOnePerService(String namespace, PolicyKind kind, String name, PolicySpec content) {
    if (!kind.onePerService() || content.anyService()) {
      return;
    }
    for (Policy other : store.list(namespace, kind, content.service())) {
      if (!other.name().equals(name)) {
        throw ApiException.conflict("service '" + content.service() + "' has " + kind + " policy '" + other.name()
            + "' already (expected: one " + kind + " policy per service; change or delete '" + other.name() + "')");
      }
    }
  }

  /** Microseconds: the precision the store keeps, so what a write returns equals what a read returns. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private void requireNamespace(String namespace) {
    if (!namespaces.exists(namespace)) {
      throw ApiException.notFound("namespace '" + namespace + "'");
    }
  }

  private static ApiException notFound(String namespace, PolicyKind kind, String name) {
    return ApiException.notFound("policy '" + kind + "/" + name + "' in namespace '" + namespace + "'");
  }
}
