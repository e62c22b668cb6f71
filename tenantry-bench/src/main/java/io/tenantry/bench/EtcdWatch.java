package io.tenantry.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * etcd's watch through its v3 HTTP gateway: every watcher holds one {@code POST /v3/watch} stream on a
 * key prefix; change {@code seq} puts key {@code <prefix><seq, six digits>}. Keys travel in base64: the
 * prefix is padded to a multiple of three bytes so that its encoding is a fixed marker followed by the
 * eight characters of the six digits.
 */
final class EtcdWatch implements WatchTarget {
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final InetSocketAddress address;
  private final Requests requests;

  EtcdWatch(InetSocketAddress address) {
    this.address = address;
    this.requests = new Requests(address.getHostString() + ":" + address.getPort(), null, "application/json");
  }

  @Override
  public String system() {
    return "etcd";
  }

  @Override
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void prepare() {
    // etcd needs nothing created first.
  }

  @Override
  public byte[] watchRequest(String topic) {
    String prefix = prefix(topic);
    byte[] end = prefix.getBytes(StandardCharsets.US_ASCII);
    end[end.length - 1]++;
    return requests.send("POST", "/v3/watch", "application/json", "{\"create_request\":{\"key\":\""
        + b64(prefix.getBytes(StandardCharsets.US_ASCII)) + "\",\"range_end\":\"" + b64(end) + "\"}}");
  }

  @Override
  public byte[] readyMarker() {
    return "\"created\":true".getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public TokenFormat tokens(String topic) {
    byte[] marker = b64(prefix(topic).getBytes(StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
    return new TokenFormat() {
      @Override
      public byte[] marker() {
        return marker;
      }

      @Override
      public int length() {
        return 8;
      }

      @Override
      public int decode(byte[] buf, int off) {
        try {
          byte[] digits = Base64.getDecoder().decode(java.util.Arrays.copyOfRange(buf, off, off + 8));
          return new TenantryWatch.DigitsToken(new byte[0]).decode(digits, 0);
        } catch (IllegalArgumentException e) {
          return -1;
        }
      }
    };
  }

  @Override
  public byte[] change(String topic, int seq) {
    String key = prefix(topic) + String.format("%06d", seq);
    return requests.send("POST", "/v3/kv/put", "application/json", "{\"key\":\""
        + b64(key.getBytes(StandardCharsets.US_ASCII)) + "\",\"value\":\"" + b64(new byte[] {'u', 'p'}) + "\"}");
  }

  /** {@code /bench/<topic>/} padded with {@code k} to a multiple of three bytes. */
  static String prefix(String topic) {
    StringBuilder p = new StringBuilder("/bench/").append(topic).append('/');
    while (p.length() % 3 != 0) {
      p.append('k');
    }
    return p.toString();
  }

  private static String b64(byte[] b) {
    return B64.encodeToString(b);
  }
}
