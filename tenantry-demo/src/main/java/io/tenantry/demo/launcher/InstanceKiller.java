package io.tenantry.demo.launcher;

import io.tenantry.api.Instance;
import io.tenantry.client.Subscription;
import io.tenantry.client.TenantryClient;
import io.tenantry.demo.launcher.LauncherConfig.KillMode;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops instances mid-run ({@code --kill}) and tells when the control plane has dropped each one.
 * Before it stops an instance it subscribes to the instance's service on the launcher's client, whose
 * list is fed by the control plane's watch, and prints one line when the instance has left that list:
 * after its lease expired for a hard kill (nothing deregistered it), at once for a graceful one.
 * Thread-safe; listeners run on the client's watch thread and only record and print.
 */
final class InstanceKiller implements AutoCloseable {
  private final Children children;
  private final KillMode mode;
  private final TenantryClient client;
  private final PrintStream out;
  private final Map<String, Duration> removed = new ConcurrentHashMap<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();

  InstanceKiller(Children children, KillMode mode, TenantryClient client, PrintStream out) {
    this.children = children;
    this.mode = mode;
    this.client = client;
    this.out = out;
  }

  /** Stops instance {@code id} of {@code service} now; {@code at} is the time into the traffic, for the log. */
  void kill(String id, String service, Duration at) {
    long killedNanos = System.nanoTime();
    AtomicBoolean reported = new AtomicBoolean();
    subscriptions.add(client.subscribe(service, instances -> {
      if (instances.stream().map(Instance::id).noneMatch(id::equals) && reported.compareAndSet(false, true)) {
        Duration after = Duration.ofNanos(System.nanoTime() - killedNanos);
        removed.put(id, after);
        out.printf(">>> %s %s at %s; %s, removed from the registry after %.1f s%n", id,
            mode == KillMode.HARD ? "killed" : "stopped", ReportTable.clock(at),
            mode == KillMode.HARD ? "lease expired" : "deregistered", after.toMillis() / 1000.0);
      }
    }));
    if (mode == KillMode.HARD) {
      out.println(">>> killing " + id + " now (SIGKILL: it cannot deregister; callers fail over until its lease expires)");
      children.kill(id, DemoLauncher.STOP_GRACE_SECONDS);
    } else {
      out.println(">>> stopping " + id + " now (SIGTERM: it deregisters, callers fail over)");
      children.stop(List.of(id), DemoLauncher.STOP_GRACE_SECONDS);
    }
  }

  /** Instance id → how long after it was stopped the control plane dropped it, for those dropped so far. */
  Map<String, Duration> removed() {
    return new TreeMap<>(removed);
  }

  @Override
  public void close() {
    subscriptions.forEach(Subscription::close);
  }
}
