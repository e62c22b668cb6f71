package io.tenantry.server.alert;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tenantry.api.policy.AlertSpec;
import io.tenantry.server.internal.DaemonThreads;
import io.tenantry.server.alert.RuleTargets.RuleRef;
import io.tenantry.server.stats.StatsView;
import io.tenantry.server.store.AlertStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates every rule of every alert policy over the {@link StatsView} each {@link AlertSettings#interval()}
 * and follows each alert through {@link Transition}: an alert that fires or resolves is stored as an
 * {@link AlertEvent} and handed to the {@link AlertSink} (unless its policy is a dry run).
 *
 * <p>Several nodes on one PostgreSQL: only the node holding the alerts' advisory lock evaluates and notifies;
 * the others refresh their view of the firing alerts from the store each interval.
 *
 * <p>Durability: fired and resolved events and the set of firing alerts are in the {@link AlertStore}; a start
 * takes the firing alerts back from it (they resolve as usual once their rule stops holding, or at once if
 * their rule is gone). Pending alerts are not stored: after a restart a rule must hold for its whole
 * {@code holdFor} again. A stored event's deliveries still under way at a stop are not resumed.
 *
 * <p>Thread-safety: evaluations run on one thread of their own (or the caller's, in tests, never both);
 * {@link #active} may be read from any thread (an immutable snapshot, replaced after each evaluation).
 */
public final class AlertEvaluator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
  /** How often old events are removed. */
  static final Duration PRUNE_EVERY = Duration.ofMinutes(10);

  private final AlertPolicies policies;
  private final StatsView stats;
  private final AlertStore store;
  private final AlertSink sink;
  private final Clock clock;
  private final AlertSettings settings;
  /** Pending and firing alerts: read and written by the evaluating thread only. */
  private final Map<AlertKey, Tracked> tracked = new HashMap<>();
  private final Counter fired;
  private final Counter resolved;
  private final Counter failures;
  private volatile List<ActiveAlert> active = List.of();
  private Instant lastPrune;
  /** Whether this node evaluated last time (else it shows what the leading node stored). */
  private boolean leading;
  private ScheduledExecutorService scheduler;

  /** An alert the evaluator follows, and where its events go (the notifiers of its policy when it fired). */
  private record Tracked(ActiveAlert view, List<String> urls) {}

  public AlertEvaluator(AlertPolicies policies, StatsView stats, AlertStore store, AlertSink sink, Clock clock,
      AlertSettings settings, MeterRegistry meters) {
    this.policies = policies;
    this.stats = stats;
    this.store = store;
    this.sink = sink;
    this.clock = clock;
    this.settings = settings;
    Gauge.builder("tenantry.alerts.firing", this, e -> e.count(ActiveAlert.Status.FIRING))
        .description("alerts firing now").register(meters);
    Gauge.builder("tenantry.alerts.pending", this, e -> e.count(ActiveAlert.Status.PENDING))
        .description("alerts whose rule holds, not yet for its holdFor").register(meters);
    this.fired = Counter.builder("tenantry.alerts.events").tag("state", "firing").description("alert events recorded")
        .register(meters);
    this.resolved = Counter.builder("tenantry.alerts.events").tag("state", "resolved").description("alert events recorded")
        .register(meters);
    this.failures = Counter.builder("tenantry.alerts.evaluation.failures")
        .description("evaluations or event writes that failed (retried at the next evaluation)").register(meters);
  }

  /** Takes the firing alerts back from the store and evaluates every interval from now on. */
  public synchronized void start() {
    restore();
    scheduler = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("tenantry-alerts"));
    long every = settings.interval().toMillis();
    scheduler.scheduleWithFixedDelay(this::evaluateSafely, every, every, TimeUnit.MILLISECONDS);
  }

  /** Loads the firing alerts of the store (done by {@link #start}; tests that drive {@link #evaluate} call it). */
  void restore() {
    for (AlertEvent e : store.firing()) {
      ActiveAlert view = new ActiveAlert(e.namespace(), e.policy(), e.rule(), e.service(), e.tenant(), e.instance(),
          ActiveAlert.Status.FIRING, e.severity(), e.metric(), e.percentile(), e.value(), e.threshold(), e.calls(),
          e.window(), e.startsAt(), e.id());
      tracked.put(e.key(), new Tracked(view, e.deliveries().stream().map(AlertEvent.Delivery::url).toList()));
    }
    publish();
  }

  /** The pending and firing alerts of a namespace as the last evaluation left them, ordered by key. */
  public List<ActiveAlert> active(String namespace) {
    return active.stream().filter(a -> a.namespace().equals(namespace)).toList();
  }

  private void evaluateSafely() {
    try {
      evaluate();
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("alert evaluation failed; trying again in {}", settings.interval(), e);
    }
  }

  /**
   * One evaluation of every rule, on the node that leads ({@link AlertStore#lead}); another node shows the
   * firing alerts the leader stored, and takes them back from the store when it comes to lead.
   */
  void evaluate() {
    if (!store.lead()) {
      leading = false;
      tracked.clear();
      restore();
      return;
    }
    if (!leading) {
      tracked.clear();
      restore();
      leading = true;
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    RuleTargets targets = RuleTargets.of(policies.byNamespace(), stats, tracked.keySet());
    for (Map.Entry<AlertKey, RuleRef> t : targets.all().entrySet()) {
      step(t.getKey(), t.getValue(), now);
    }
    for (AlertKey key : new ArrayList<>(tracked.keySet())) {
      if (!targets.contains(key)) {
        retire(key, targets.namespaceExists(key.namespace()), now);
      }
    }
    pruneIfDue(now);
    publish();
  }

  private void step(AlertKey key, RuleRef ref, Instant now) {
    AlertSpec.Rule rule = ref.rule();
    Reading r = Reading.of(rule, stats.servedBy(key.namespace(), key.service(), key.instance(), key.tenant(),
        rule.windowDuration()));
    Tracked t = tracked.get(key);
    Transition next = Transition.of(t == null ? null : t.view().state(), t == null ? null : t.view().since(),
        r, rule.holdForDuration(), now);
    switch (next) {
      case NONE, CANCEL -> tracked.remove(key);
      case PEND -> tracked.put(key, new Tracked(view(key, ref, ActiveAlert.Status.PENDING, r, now, null), List.of()));
      case KEEP_PENDING, KEEP_FIRING -> tracked.put(key, new Tracked(withReading(t.view(), r), t.urls()));
      case FIRE -> {
        List<String> urls = ref.urls();
        ActiveAlert firing = view(key, ref, ActiveAlert.Status.FIRING, r, now, null);
        AlertEvent stored = record(event(firing, AlertEvent.State.FIRING, r.value(), r.calls(), now, urls));
        if (stored != null) {
          tracked.put(key, new Tracked(view(key, ref, ActiveAlert.Status.FIRING, r, now, stored.id()), urls));
        }
      }
      case RESOLVE -> resolve(key, t, r.value(), r.calls(), now);
    }
  }

  /** The alert's rule, service, tenant or instance is gone: a firing alert resolves with its last value, a pending one is dropped. */
  private void retire(AlertKey key, boolean namespaceExists, Instant now) {
    Tracked t = tracked.get(key);
    if (t.view().state() == ActiveAlert.Status.FIRING && namespaceExists) {
      resolve(key, t, t.view().value(), t.view().calls(), now);
    } else {
      tracked.remove(key);
    }
  }

  private void resolve(AlertKey key, Tracked t, double value, long calls, Instant now) {
    if (record(event(t.view(), AlertEvent.State.RESOLVED, value, calls, now, t.urls())) != null) {
      tracked.remove(key);
    }
  }

  /** Stores the event and hands it on; null (and the alert's state left as it was, so retried) if the store failed. */
  private AlertEvent record(AlertEvent event) {
    AlertEvent stored;
    try {
      stored = store.append(event);
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("alert {} {}/{} on {}: the {} event could not be stored; retrying at the next evaluation",
          event.namespace(), event.policy(), event.rule(), event.service(), event.state().wire(), e);
      return null;
    }
    (stored.state() == AlertEvent.State.FIRING ? fired : resolved).increment();
    LOG.info("alert {} {}/{} on {}{}{}: {} ({} = {}, threshold {})", stored.namespace(), stored.policy(),
        stored.rule(), stored.service(), stored.instance() == null ? "" : " instance " + stored.instance(),
        stored.tenant() == null ? "" : " for tenant " + stored.tenant(), stored.state().wire(), stored.metric(),
        stored.value(), stored.threshold());
    if (!stored.deliveries().isEmpty()) {
      sink.send(stored);
    }
    return stored;
  }

  private static AlertEvent event(ActiveAlert a, AlertEvent.State state, double value, long calls, Instant now,
      List<String> urls) {
    List<AlertEvent.Delivery> deliveries = urls.stream()
        .map(u -> new AlertEvent.Delivery(u, AlertEvent.DeliveryStatus.PENDING, 0, null, now)).toList();
    return new AlertEvent(0, a.namespace(), a.policy(), a.rule(), a.service(), a.tenant(), a.instance(), state,
        a.severity(), a.metric(), a.percentile(), value, a.threshold(), calls, a.window(), a.since(), now, deliveries);
  }

  private static ActiveAlert view(AlertKey key, RuleRef ref, ActiveAlert.Status status, Reading r, Instant since,
      Long eventId) {
    AlertSpec.Rule rule = ref.rule();
    return new ActiveAlert(key.namespace(), key.policy(), key.rule(), key.service(), key.tenant(), key.instance(),
        status, rule.severity(), rule.metric(), rule.percentile(), r.value(), rule.above(), r.calls(), rule.window(),
        since, eventId);
  }

  private static ActiveAlert withReading(ActiveAlert a, Reading r) {
    return new ActiveAlert(a.namespace(), a.policy(), a.rule(), a.service(), a.tenant(), a.instance(), a.state(),
        a.severity(), a.metric(), a.percentile(), r.value(), a.threshold(), r.calls(), a.window(), a.since(), a.eventId());
  }

  private void pruneIfDue(Instant now) {
    if (lastPrune != null && Duration.between(lastPrune, now).compareTo(PRUNE_EVERY) < 0) {
      return;
    }
    lastPrune = now;
    try {
      int removed = store.prune(now.minus(settings.retention()), settings.maxEvents());
      if (removed > 0) {
        LOG.info("removed {} alert events past their retention", removed);
      }
    } catch (RuntimeException e) {
      failures.increment();
      LOG.warn("removing old alert events failed; trying again in {}", PRUNE_EVERY, e);
    }
  }

  private void publish() {
    active = tracked.values().stream().map(Tracked::view)
        .sorted(Comparator.comparing((ActiveAlert a) -> a.namespace()).thenComparing(ActiveAlert::policy)
            .thenComparing(ActiveAlert::rule).thenComparing(ActiveAlert::service)
            .thenComparing(a -> a.tenant() == null ? "" : a.tenant())
            .thenComparing(a -> a.instance() == null ? "" : a.instance()))
        .toList();
  }

  private double count(ActiveAlert.Status status) {
    return active.stream().filter(a -> a.state() == status).count();
  }

  /** Stops evaluating (an evaluation under way finishes first, for a short while at most). */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
