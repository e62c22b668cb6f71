package io.tenantry.server.alert;

import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.http.ApiException;
import io.tenantry.server.store.AlertStore;
import io.tenantry.server.tenant.NamespaceDirectory;
import java.util.List;

/**
 * What the API reads of alerts: the active ones (from the evaluator's last evaluation) and the history of
 * events (from the store), both of one namespace. Thread-safe.
 */
public final class AlertService {
  public static final int DEFAULT_HISTORY_LIMIT = 50;
  public static final int MAX_HISTORY_LIMIT = 500;

  private final AlertEvaluator evaluator;
  private final AlertStore store;
  private final NamespaceDirectory namespaces;

  public AlertService(AlertEvaluator evaluator, AlertStore store, NamespaceDirectory namespaces) {
    this.evaluator = evaluator;
    this.store = store;
    this.namespaces = namespaces;
  }

  /** The pending and firing alerts of a namespace, each filter applied unless null. 404 for a namespace that does not exist. */
  public List<ActiveAlert> active(String namespace, String service, String tenant, String instance,
      AlertSpec.Severity severity) {
    requireNamespace(namespace);
    return evaluator.active(namespace).stream()
        .filter(a -> service == null || service.equals(a.service()))
        .filter(a -> tenant == null || tenant.equals(a.tenant()))
        .filter(a -> instance == null || instance.equals(a.instance()))
        .filter(a -> severity == null || severity == a.severity())
        .toList();
  }

  /** A page of a namespace's events, newest first; 400 for a limit out of 1..{@value #MAX_HISTORY_LIMIT}. */
  public AlertHistory history(String namespace, HistoryQuery query) {
    requireNamespace(namespace);
    if (query.limit() > MAX_HISTORY_LIMIT) {
      throw ApiException.badRequest("limit", "limit: " + query.limit() + " (expected: 1.." + MAX_HISTORY_LIMIT + ")");
    }
    List<AlertEvent> page = store.history(namespace, query.withLimit(query.limit() + 1));
    if (page.size() <= query.limit()) {
      return new AlertHistory(page, null);
    }
    List<AlertEvent> items = page.subList(0, query.limit());
    return new AlertHistory(items, items.get(items.size() - 1).id());
  }

  private void requireNamespace(String namespace) {
    if (!namespaces.exists(namespace)) {
      throw ApiException.notFound("namespace '" + namespace + "'");
    }
  }
}
