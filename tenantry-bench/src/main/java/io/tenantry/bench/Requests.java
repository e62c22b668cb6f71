package io.tenantry.bench;

import java.nio.charset.StandardCharsets;

/**
 * Builds HTTP/1.1 requests as bytes for {@link HttpConnection}: the headers every request to one server
 * shares (host, credentials, accepted type) are fixed once. Immutable and thread-safe.
 */
final class Requests {
  private final String commonHeaders;

  /**
   * @param host          the {@code host:port} the requests go to
   * @param authorization the Authorization header's value, or null
   * @param accept        the Accept header's value, or null
   */
  Requests(String host, String authorization, String accept) {
    StringBuilder b = new StringBuilder(128).append("Host: ").append(host).append("\r\n");
    if (authorization != null) {
      b.append("Authorization: ").append(authorization).append("\r\n");
    }
    if (accept != null) {
      b.append("Accept: ").append(accept).append("\r\n");
    }
    this.commonHeaders = b.toString();
  }

  byte[] get(String target) {
    return (head("GET", target) + "\r\n").getBytes(StandardCharsets.UTF_8);
  }

  byte[] send(String method, String target, String contentType, String body) {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder(256 + payload.length).append(head(method, target));
    if (payload.length > 0) {
      b.append("Content-Type: ").append(contentType).append("\r\n");
    }
    b.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
    byte[] headers = b.toString().getBytes(StandardCharsets.UTF_8);
    byte[] request = new byte[headers.length + payload.length];
    System.arraycopy(headers, 0, request, 0, headers.length);
    System.arraycopy(payload, 0, request, headers.length, payload.length);
    return request;
  }

  private String head(String method, String target) {
    return method + " " + target + " HTTP/1.1\r\n" + commonHeaders;
  }
}
