package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK HttpServer adapter on a real server: sets, restores and refuses. */
class TenantryHttpFilterTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final CopyOnWriteArrayList<String> seen = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<String> after = new CopyOnWriteArrayList<>();
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    // one thread: the same thread serves every request, so a leaked context would show up on the next one
    server.setExecutor(java.util.concurrent.Executors.newSingleThreadExecutor());
    server.createContext("/ok", ex -> {
      seen.add(TenantContext.current().orElse("-"));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    }).getFilters().add(new TenantryHttpFilter());
    server.createContext("/boom", ex -> {
      seen.add(TenantContext.current().orElse("-"));
      throw new IllegalStateException("handler bug");
    }).getFilters().add(new TenantryHttpFilter());
    server.createContext("/after", ex -> {
      after.add(TenantContext.current().orElse("-"));
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private HttpResponse<String> call(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void header_orBaggage_setsTheContextForTheRequestOnly() throws Exception {
    assertThat(call("/ok", "X-Tenant-Id", "acme").statusCode()).isEqualTo(204);
    call("/ok", "baggage", "k=v, tenant.id=globex;p=1");
    call("/ok");
    call("/after");
    assertThat(seen).containsExactly("acme", "globex", "-");
    assertThat(after).containsExactly("-");
  }

  @Test
  void handlerThrowing_stillLeavesTheContext() throws Exception {
    try {
      call("/boom", "X-Tenant-Id", "acme");
    } catch (java.io.IOException expected) {
      // the JDK server may drop the connection of a failed exchange
    }
    call("/after");
    assertThat(seen).isNotEmpty().containsOnly("acme"); // the JDK client may repeat a GET on a dropped connection
    assertThat(after).containsExactly("-");
  }

  @Test
  void malformedTenant_is400ProblemJson() throws Exception {
    for (String[] h : new String[][] {{"X-Tenant-Id", "ACME"}, {"X-Tenant-Id", "x".repeat(4000)},
        {"baggage", "tenant.id=bad%20id"}}) {
      HttpResponse<String> r = call("/ok", h);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("Content-Type")).contains("application/problem+json");
      assertThat(r.body()).contains("\"type\":\"https://tenantry.io/problems/invalid-tenant\"").contains("\"status\":400");
    }
    assertThat(seen).isEmpty();
  }

  @Test
  void aTenantNamedTwice_is400_evenWhenBothAgree() throws Exception {
    for (String[] h : new String[][] {{"X-Tenant-Id", "acme", "X-Tenant-Id", "globex"},
        {"X-Tenant-Id", "acme", "x-tenant-id", "acme"}}) {
      HttpResponse<String> r = call("/ok", h);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("\"type\":\"https://tenantry.io/problems/invalid-tenant\"")
          .contains("X-Tenant-Id appears more than once");
    }
    assertThat(call("/ok", "X-Tenant-Id", "acme", "X-Tenantry-Xid", "0123456789abcdef0123456789abcdef",
        "X-Tenantry-Xid", "0123456789abcdef0123456789abcdef").body()).contains("invalid-xid")
        .contains("appears more than once");
    assertThat(seen).isEmpty();
  }

  @Test
  void hugeBaggage_isIgnored_notAnError() throws Exception {
    String huge = "k=" + "v".repeat(9000) + ",tenant.id=acme";
    assertThat(call("/ok", "baggage", huge).statusCode()).isEqualTo(204);
    assertThat(seen).containsExactly("-");
  }
}
