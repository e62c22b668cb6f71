package io.tenantry.bench;

import io.tenantry.api.ApiPaths;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Tenantry's watch: every watcher holds one SSE stream on service {@code topic}; change {@code seq}
 * registers a new instance {@code chg-<seq, six digits>} of that service.
 */
final class TenantryWatch implements WatchTarget {
  private static final byte[] MARKER = "chg-".getBytes(StandardCharsets.US_ASCII);

  private final TenantryAdmin admin;
  private final String namespace;
  private final Requests streamRequests;

  TenantryWatch(TenantryAdmin admin, String namespace, String adminKey) {
    this.admin = admin;
    this.namespace = namespace;
    InetSocketAddress a = admin.address();
    this.streamRequests = new Requests(a.getHostString() + ":" + a.getPort(), "Bearer " + adminKey,
        "text/event-stream");
  }

  @Override
  public String system() {
    return "tenantry";
  }

  @Override
  public InetSocketAddress address() {
    return admin.address();
  }

  @Override
  public void prepare() throws IOException {
    admin.createNamespace(namespace);
  }

  @Override
  public byte[] watchRequest(String topic) {
    return streamRequests.get(ApiPaths.expand(ApiPaths.WATCH, namespace) + "?services=" + topic);
  }

  @Override
  public byte[] readyMarker() {
    return null;
  }

  @Override
  public TokenFormat tokens(String topic) {
    return new DigitsToken(MARKER);
  }

  @Override
  public byte[] change(String topic, int seq) {
    String id = String.format("chg-%06d", seq);
    return admin.requests().send("PUT", ApiPaths.expand(ApiPaths.INSTANCE, namespace, topic, id),
        TenantryRegistry.JSON, "{\"id\":\"" + id + "\",\"host\":\"10.1.0." + (seq % 250 + 1)
            + "\",\"port\":8080,\"version\":\"v1\",\"zone\":\"zone-a\",\"weight\":100,\"status\":\"UP\","
            + "\"labels\":{\"env\":\"bench\"},\"leaseSeconds\":600}");
  }

  /** A marker followed by six ASCII digits. */
  record DigitsToken(byte[] marker) implements TokenFormat {
    @Override
    public int length() {
      return 6;
    }

    @Override
    public int decode(byte[] buf, int off) {
      int v = 0;
      for (int i = off; i < off + 6; i++) {
        int d = buf[i] - '0';
        if (d < 0 || d > 9) {
          return -1;
        }
        v = v * 10 + d;
      }
      return v;
    }
  }
}
