package io.tenantry.server.alert;

/** Told of every stored event of an enforced (not dry-run) alert policy; must not block. */
@FunctionalInterface
public interface AlertSink {
  void send(AlertEvent event);
}
