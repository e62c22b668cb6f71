package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.client.ControlPlaneFixture;
import io.tenantry.client.TenantContext;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transport of the SDK's transaction calls against the real control plane: its kept-alive connections
 * outlive a restart of the server, an unreachable server is skipped, and the coordinator's problems arrive as the
 * same exceptions.
 */
class TxTransportIT {
  @TempDir Path data;
  private ControlPlaneFixture cp;
  private String key;

  @BeforeEach
  void start() {
    cp = new ControlPlaneFixture(data);
    key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "pooled", "active");
    cp.tenant("shop", "gone", "pooled", "suspended");
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  private static String begunAndCommitted(TenantryClient client, String tenant) {
    try (TenantContext.Scope s = TenantContext.enter(tenant)) {
      return client.transactions().inTransaction(TxOptions.tcc("t"), GlobalTx::xid);
    }
  }

  @Test
  void keptAliveConnections_closedByARestartOfTheServer_areReplacedUnnoticed() {
    TenantryClient client = cp.started(cp.client("shop", key, null));
    for (int i = 0; i < 3; i++) {
      assertThat(cp.transaction("shop", begunAndCommitted(client, "acme")).get("state").asText()).startsWith("commit");
    }

    cp.restart();

    String xid = begunAndCommitted(client, "acme");
    assertThat(cp.transaction("shop", xid).get("state").asText()).startsWith("commit");
  }

  @Test
  void anUnreachableServer_isSkipped() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    TenantryClient client = cp.started(TenantryClient.newBuilder()
        .servers("http://127.0.0.1:" + dead + "," + cp.baseUri()).namespace("shop").apiKey(key)
        .snapshotDirectory(null).shutdownHook(false));

    String xid = begunAndCommitted(client, "acme");

    assertThat(cp.transaction("shop", xid).get("tenant").asText()).isEqualTo("acme");
  }

  @Test
  void problems_ofTheCoordinator_areTenantryExceptions() {
    TenantryClient client = cp.started(cp.client("shop", key, null));

    assertThatThrownBy(() -> begunAndCommitted(client, "gone")).isInstanceOfSatisfying(TenantryException.class, e -> {
      assertThat(e.status()).isEqualTo(403);
      assertThat(e.problemType()).isEqualTo("tenant-suspended");
    });
    assertThatThrownBy(() -> begunAndCommitted(client, "nobody")).isInstanceOfSatisfying(TenantryException.class,
        e -> assertThat(e.problemType()).isEqualTo("tenant-not-found"));
  }
}
