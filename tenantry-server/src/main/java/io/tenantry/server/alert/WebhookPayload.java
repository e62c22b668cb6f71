package io.tenantry.server.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tenantry.api.Json;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The body of a webhook, in the shape of Alertmanager's webhook (version 4) so that receivers written for
 * it read it as they are, with one alert per message and Tenantry's own figures under {@code tenantry};
 * and its signature. Stateless.
 */
final class WebhookPayload {
  static final String SIGNATURE = "X-Tenantry-Signature";
  static final String TIMESTAMP = "X-Tenantry-Timestamp";
  private static final ObjectMapper MAPPER = Json.newMapper();

  private WebhookPayload() {}

  /** The JSON body for {@code event}; {@code externalUrl} is the control plane's address (may be null). */
  static byte[] of(AlertEvent e, String externalUrl) {
    ObjectNode labels = MAPPER.createObjectNode();
    labels.put("alertname", e.rule());
    labels.put("namespace", e.namespace());
    labels.put("policy", e.policy());
    labels.put("service", e.service());
    if (e.tenant() != null) {
      labels.put("tenant", e.tenant());
    }
    if (e.instance() != null) {
      labels.put("instance", e.instance());
    }
    labels.put("severity", e.severity().wire());
    labels.put("metric", e.metric().wire());
    ObjectNode annotations = MAPPER.createObjectNode();
    annotations.put("summary", summary(e));

    ObjectNode alert = MAPPER.createObjectNode();
    alert.put("status", e.state().wire());
    alert.set("labels", labels);
    alert.set("annotations", annotations);
    alert.put("startsAt", e.startsAt().toString());
    alert.put("endsAt", e.state() == AlertEvent.State.RESOLVED ? e.at().toString() : "0001-01-01T00:00:00Z");
    alert.put("generatorURL", externalUrl == null ? "" : externalUrl + "/api/v1/namespaces/" + e.namespace() + "/alerts");
    alert.put("fingerprint", e.key().fingerprint());

    ObjectNode body = MAPPER.createObjectNode();
    body.put("version", "4");
    body.put("groupKey", e.namespace() + "/" + e.policy() + "/" + e.rule() + ":" + e.key().fingerprint());
    body.put("truncatedAlerts", 0);
    body.put("status", e.state().wire());
    body.put("receiver", e.namespace() + "/" + e.policy());
    body.set("groupLabels", MAPPER.createObjectNode().put("alertname", e.rule()));
    body.set("commonLabels", labels);
    body.set("commonAnnotations", annotations);
    body.put("externalURL", externalUrl == null ? "" : externalUrl);
    body.putArray("alerts").add(alert);
    ObjectNode own = body.putObject("tenantry");
    own.put("eventId", e.id());
    own.put("value", e.value());
    own.put("threshold", e.threshold());
    if (e.percentile() != null) {
      own.put("percentile", e.percentile());
    }
    own.put("calls", e.calls());
    own.put("window", e.window());
    own.put("at", e.at().toString());
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("webhook body of event " + e.id(), ex);
    }
  }

  /**
   * {@code payment-errors on payment for acme: error-rate 0.12 > 0.05 over 1m (240 calls)}; a per-instance
   * alert names its instance: {@code payment-errors on payment instance payment-2: ...}.
   */
  static String summary(AlertEvent e) {
    String what = e.metric() == io.tenantry.api.policy.AlertSpec.Metric.LATENCY ? "latency " + e.percentile() + " (ms)"
        : e.metric().wire();
    return e.rule() + " on " + e.service() + (e.instance() == null ? "" : " instance " + e.instance())
        + (e.tenant() == null ? "" : " for " + e.tenant()) + ": " + what + " "
        + figure(e.value()) + (e.state() == AlertEvent.State.FIRING ? " > " : ", threshold ") + figure(e.threshold())
        + " over " + e.window() + " (" + e.calls() + " calls)";
  }

  /** A value as a person reads it: three significant digits, no trailing zeros (0.533, 0.5, 240). */
  static String figure(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return new java.math.BigDecimal(value).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  /** {@code sha256=<hex of HMAC-SHA256(secret, timestamp + "." + body)>}, as a receiver recomputes it. */
  static String signature(String secret, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
