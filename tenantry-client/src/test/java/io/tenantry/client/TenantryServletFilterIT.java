package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servlet adapter on real Jetty: sets the context per request, never leaks it, refuses bad and suspended tenants. */
class TenantryServletFilterIT {
  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();
  private FilteredJetty jetty;
  private ControlPlaneFixture cp;

  @AfterEach
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
    if (cp != null) {
      cp.close();
    }
  }

  private URI start(TenantryServletFilter filter) throws Exception {
    jetty = FilteredJetty.start(filter, new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (req.getRequestURI().equals("/boom")) {
          throw new IllegalStateException("servlet bug");
        }
        resp.getWriter().write(TenantContext.current().orElse("-"));
      }
    });
    return jetty.uri("/");
  }

  private HttpResponse<String> get(URI base, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void setsTheContextPerRequest_andNeverLeaksIt() throws Exception {
    URI base = start(new TenantryServletFilter());
    for (int i = 0; i < 20; i++) {
      assertThat(get(base, "/x", "X-Tenant-Id", "acme").body()).isEqualTo("acme");
      assertThat(get(base, "/x", "baggage", "a=1,tenant.id=globex").body()).isEqualTo("globex");
      assertThat(get(base, "/x").body()).isEqualTo("-");
      assertThat(get(base, "/boom", "X-Tenant-Id", "acme").statusCode()).isEqualTo(500);
      assertThat(get(base, "/x").body()).isEqualTo("-");
    }
  }

  @Test
  void malformedTenant_is400ProblemJson() throws Exception {
    URI base = start(new TenantryServletFilter());
    HttpResponse<String> r = get(base, "/x", "X-Tenant-Id", "NOT_VALID");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    assertThat(r.body()).contains("invalid-tenant").contains("NOT_VALID");
  }

  @Test
  void aTenantNamedTwice_is400() throws Exception {
    URI base = start(new TenantryServletFilter());
    HttpResponse<String> r = get(base, "/x", "X-Tenant-Id", "acme", "X-Tenant-Id", "globex");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("invalid-tenant").contains("appears more than once");
  }

  @Test
  void withAClient_aSuspendedTenantIs403() throws Exception {
    cp = new ControlPlaneFixture(data);
    String key = cp.namespace("shop", "service");
    cp.tenant("shop", "initech", "pooled", "suspended");
    cp.tenant("shop", "acme", "pooled", "active");
    TenantryClient client = cp.started(cp.client("shop", key, null));
    await().atMost(Duration.ofSeconds(5)).until(() -> client.tenant("initech").isPresent());
    URI base = start(new TenantryServletFilter(client));
    HttpResponse<String> r = get(base, "/x", "X-Tenant-Id", "initech");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("tenant-suspended");
    assertThat(get(base, "/x", "X-Tenant-Id", "acme").body()).isEqualTo("acme");
  }
}
