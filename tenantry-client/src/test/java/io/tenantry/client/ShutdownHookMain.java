package io.tenantry.client;

import io.tenantry.api.InstanceSpec;
import java.util.Map;

/** A process for {@link ShutdownHookIT}: registers one instance, says so, and waits to be terminated. */
public final class ShutdownHookMain {
  private ShutdownHookMain() {}

  public static void main(String[] args) throws Exception {
    TenantryClient client = TenantryClient.newBuilder().servers(args[0]).namespace("shop").apiKey(args[1])
        .snapshotDirectory(null).build().start(); // shutdownHook defaults to true
    client.register("order", new InstanceSpec("order-hook", "127.0.0.1", 8081, null, null, null, null, Map.of(), null,
        600));
    System.out.println("REGISTERED");
    System.out.flush();
    new java.util.concurrent.CountDownLatch(1).await(); // until SIGTERM
  }
}
