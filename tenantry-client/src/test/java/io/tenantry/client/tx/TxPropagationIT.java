package io.tenantry.client.tx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.tenantry.api.InstanceSpec;
import io.tenantry.api.InstanceStatus;
import io.tenantry.api.tx.TxMode;
import io.tenantry.client.ControlPlaneFixture;
import io.tenantry.client.TenantContext;
import io.tenantry.client.FilteredJetty;
import io.tenantry.client.TenantryClient;
import io.tenantry.client.TenantryHttpFilter;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The transaction id across a call, over real HTTP with the real control plane for discovery: GovernedHttp sends
 * {@code X-Tenantry-Xid} while a transaction is current, the participant's door reads it and TenantryHttpFilter
 * makes it current for the handler only (one server thread: a leak would show on the next request), as
 * TenantryServletFilter does on Jetty, and a
 * malformed or tenant-less id is refused.
 */
class TxPropagationIT {
  static final String XID = "0190a1b2c3d4" + "00000000000000001234";

  @TempDir Path data;
  private ControlPlaneFixture cp;
  private TenantryClient order;
  private TenantryClient payment;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    cp.tenant("shop", "acme", "pooled", "active");
    order = cp.started(cp.client("shop", key, null).serviceName("order"));
    payment = cp.started(cp.client("shop", key, null).serviceName("payment"));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newSingleThreadExecutor());
    server.createContext("/", ex -> {
      GlobalTx g = payment.transactions().current();
      byte[] body = (g == null ? "none" : g.xid() + " " + g.tenant() + " " + g.mode() + " "
          + ex.getRequestHeaders().getFirst("X-Tenantry-Xid")).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }).getFilters().add(new TenantryHttpFilter(payment));
    server.start();
    payment.register("payment", new InstanceSpec("payment-1", "127.0.0.1", server.getAddress().getPort(), "v1",
        null, 100, InstanceStatus.UP, Map.of(), null, 30));
    await().atMost(Duration.ofSeconds(5)).until(() -> !order.instances("payment").isEmpty());
  }

  @AfterEach
  void stop() {
    server.stop(0);
    cp.close();
  }

  private String call() throws Exception {
    return order.http().send(HttpRequest.newBuilder(URI.create("http://payment/pay")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void theCurrentTransaction_travelsWithTheCall_andIsCurrentForTheHandlerOnly() throws Exception {
    try (TenantContext.Scope s = TenantContext.enter("acme")) {
      String inside = order.transactions().callIn(new GlobalTx(XID, "acme", TxMode.TCC, "place-order"), () -> {
        try {
          return call();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      assertThat(inside).isEqualTo(XID + " acme null " + XID); // joined from the header: the id, not the mode
      assertThat(order.transactions().current()).isNull();
      assertThat(call()).isEqualTo("none"); // same server thread: nothing left behind
      try (Transactions.Scope tx = order.transactions().join(XID)) {
        assertThat(order.transactions().current()).isEqualTo(new GlobalTx(XID, "acme", null, null));
        assertThat(call()).startsWith(XID);
      }
      assertThat(call()).isEqualTo("none");
    }
  }

  @Test
  void theServletFilter_makesTheTransactionCurrentToo() throws Exception {
    try (FilteredJetty jetty = FilteredJetty.start(new io.tenantry.client.TenantryServletFilter(payment),
        new jakarta.servlet.http.HttpServlet() {
      @Override
      protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
          throws java.io.IOException {
        GlobalTx g = payment.transactions().current();
        resp.getWriter().write(g == null ? "none" : g.xid() + " " + g.tenant());
      }
    })) {
      HttpClient raw = HttpClient.newHttpClient();
      URI uri = jetty.uri("/pay");
      for (int i = 0; i < 10; i++) { // 8 pooled threads: a leak would show on a reused one
        assertThat(raw.send(HttpRequest.newBuilder(uri).header("X-Tenant-Id", "acme").header("X-Tenantry-Xid", XID)
            .build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo(XID + " acme");
        assertThat(raw.send(HttpRequest.newBuilder(uri).header("X-Tenant-Id", "acme").build(),
            HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("none");
      }
    }
  }

  @Test
  void malformedOrTenantlessIds_areRefusedAtTheDoor() throws Exception {
    HttpClient raw = HttpClient.newHttpClient();
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/pay");
    HttpResponse<String> bad = raw.send(HttpRequest.newBuilder(uri).header("X-Tenant-Id", "acme")
        .header("X-Tenantry-Xid", "not-an-xid").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("invalid-xid");
    HttpResponse<String> noTenant = raw.send(HttpRequest.newBuilder(uri).header("X-Tenantry-Xid", XID).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(noTenant.statusCode()).isEqualTo(400);
    assertThat(noTenant.body()).contains("without a tenant");
    HttpResponse<String> good = raw.send(HttpRequest.newBuilder(uri).header("X-Tenant-Id", "acme")
        .header("X-Tenantry-Xid", XID).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(good.body()).startsWith(XID + " acme");
  }
}
