package io.tenantry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tenantry.api.Instance;
import io.tenantry.client.internal.Backoff;
import io.tenantry.client.internal.GovernedHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the governed client remembers between calls (validated service hosts, each tenant's baggage
 * header) must never change what a later call is checked for or carries.
 */
class GovernedHttpMemoTest {
  private final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private TestInstance server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
  }

  private GovernedHttp client() throws Exception {
    server = new TestInstance("a");
    Instance a = server.instance("payment", null);
    return GovernedHttp.overLists(jdk, s -> s.equals("payment") ? List.of(a) : List.of(), t -> Optional.empty(),
        LoadBalancer.powerOfTwoChoices(), null, new Backoff(Duration.ofMillis(25), Duration.ofSeconds(1)));
  }

  private static HttpRequest get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).GET().build();
  }

  @Test
  void aServiceHostSeenBeforeIsStillCheckedForPortUserInfoAndScheme() throws Exception {
    GovernedHttp http = client();
    assertThat(http.send(get("http://payment/x"), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> http.send(get("http://payment:8080/x"), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no port");
    assertThatThrownBy(() -> http.send(get("http://user@payment/x"), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> http.send(get("http://payment.shop/x"), HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service");
    assertThat(http.send(get("HTTP://payment/y"), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
    assertThat(server.seen()).extracting(TestInstance.Seen::path).containsExactly("/x", "/y");
  }

  @Test
  void eachTenantCarriesItsOwnHeaders_andAnExistingBaggageIsStillMerged() throws Exception {
    GovernedHttp http = client();
    for (String tenant : List.of("acme", "globex", "acme")) {
      try (TenantContext.Scope scope = TenantContext.enter(tenant)) {
        http.send(get("http://payment/x"), HttpResponse.BodyHandlers.discarding());
      }
    }
    try (TenantContext.Scope scope = TenantContext.enter("acme")) {
      http.send(HttpRequest.newBuilder(URI.create("http://payment/x")).header("baggage", "k=v").build(),
          HttpResponse.BodyHandlers.discarding());
    }
    assertThat(server.seen()).extracting(s -> s.header("X-Tenant-Id") + " " + s.header("baggage"))
        .containsExactly("acme tenant.id=acme", "globex tenant.id=globex", "acme tenant.id=acme",
            "acme tenant.id=acme,k=v");
    assertThat(server.seen()).extracting(s -> s.header("X-Tenantry-Attempt")).containsOnly("1");
  }
}
