package io.tenantry.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GovernedHttp's request copy builds what the JDK's filtered copy builds, for every kind of request. */
class RequestCopyTest {
  private static final URI TARGET = URI.create("http://127.0.0.1:9001/pay?x=1");

  private static HttpRequest.Builder logical() {
    return HttpRequest.newBuilder(URI.create("http://payment/pay?x=1"));
  }

  @Test
  void copiesLikeTheJdkWithoutTheHeadersTheClientSets() {
    List<HttpRequest> requests = List.of(
        logical().GET().build(),
        logical().DELETE().build(),
        logical().method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        logical().POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).header("Content-Type", "application/json")
            .build(),
        logical().PUT(HttpRequest.BodyPublishers.ofString("x")).expectContinue(true)
            .version(HttpClient.Version.HTTP_1_1).timeout(Duration.ofSeconds(3)).build(),
        logical().method("PATCH", HttpRequest.BodyPublishers.ofString("p")).header("X-Multi", "1")
            .header("X-Multi", "2").header("X-Tenant-Id", "spoofed").header("baggage", "k=v")
            .header("X-Tenantry-Attempt", "7").header("x-tenantry-caller", "someone").build());
    for (HttpRequest r : requests) {
      HttpRequest jdk = HttpRequest.newBuilder(r, (name, value) -> !GovernedHttp.owned(name)).uri(TARGET).build();
      HttpRequest ours = GovernedHttp.copyOf(r, TARGET).build();
      assertThat(ours.uri()).isEqualTo(jdk.uri());
      assertThat(ours.method()).as(r.method()).isEqualTo(jdk.method());
      assertThat(ours.headers().map()).as(r.method()).isEqualTo(jdk.headers().map());
      assertThat(ours.expectContinue()).isEqualTo(jdk.expectContinue());
      assertThat(ours.version()).isEqualTo(jdk.version());
      assertThat(ours.timeout()).isEqualTo(jdk.timeout());
      assertThat(ours.bodyPublisher().isPresent()).as(r.method()).isEqualTo(jdk.bodyPublisher().isPresent());
      assertThat(ours.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength))
          .isEqualTo(jdk.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength));
    }
  }
}
