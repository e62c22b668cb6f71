package io.tenantry.demo.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.client.CallNotPermittedException;
import io.tenantry.client.CallOptions;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.NoInstanceAvailableException;
import io.tenantry.demo.service.Records.NewPayment;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * The order service's calls to the user and payment services, through the governed client in the caller's
 * tenant context (so a siloed tenant's calls reach only its own instances) and, inside a global
 * transaction, carrying its id ({@code X-Tenantry-Xid}) so that the payment's branch joins it. Every
 * failure is the problem the order's caller gets. Thread-safe.
 */
final class Upstreams {
  static final CallOptions USER_CALL = CallOptions.defaults().timeout(Duration.ofSeconds(2)).maxAttempts(3);
  /**
   * A payment call may be retried: its branch is keyed by the order id, so a retry (on any instance) finds
   * the branch and its try of the first attempt. How often, how long an attempt may take, the retry budget,
   * the breaker and outlier ejection are the {@code payment} resilience policy's (the demo's
   * {@code payment-resilience.yaml}), not fixed here: explicit call options would win over it.
   */
  static final CallOptions PAYMENT_CALL = CallOptions.defaults().retryable(true);

  private final GovernedHttpClient http;
  private final ObjectMapper json;

  Upstreams(GovernedHttpClient http, ObjectMapper json) {
    this.http = http;
    this.json = json;
  }

  /** 404 problem unless {@code userId} is a user of the current tenant. */
  void checkUser(String userId) {
    HttpResponse<String> r = call("user", HttpRequest.newBuilder(URI.create("http://user/users/" + userId)).GET().build(),
        USER_CALL);
    if (r.statusCode() == 404) {
      throw new HttpProblem(404, "user-not-found", "userId: " + userId + " (expected: a user of this tenant)", "userId");
    }
    if (r.statusCode() != 200) {
      throw new HttpProblem(502, "upstream-failed", "user service answered HTTP " + r.statusCode());
    }
  }

  /** The payment's {@code debit} branch of the current transaction: the customer's wallet holds the amount. */
  void debit(String orderId, String customer, long amount) throws IOException {
    payment(HttpRequest.newBuilder(URI.create("http://payment/payments"))
        .POST(BodyPublishers.ofByteArray(json.writeValueAsBytes(new NewPayment(orderId, customer, amount)))), orderId);
  }

  /** The payment's {@code credit} step of the current saga: the order's amount back to the wallet. */
  void credit(String orderId) {
    payment(HttpRequest.newBuilder(URI.create("http://payment/payments/" + orderId + "/refund"))
        .POST(BodyPublishers.noBody()), orderId);
  }

  private void payment(HttpRequest.Builder request, String orderId) {
    HttpResponse<String> r = call("payment", request.header("Content-Type", "application/json")
        .header(PaymentResource.IDEMPOTENCY_KEY, orderId).build(), PAYMENT_CALL);
    if (r.statusCode() == 409) {
      // refused for good (not enough money, the transaction no longer active): the caller's answer too
      throw new HttpProblem(409, problemField(r, "type", "payment-refused").replaceAll(".*/", ""),
          "payment refused: " + problemField(r, "detail", "HTTP 409"));
    }
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new HttpProblem(502, "payment-failed", "payment service answered HTTP " + r.statusCode() + " after retries");
    }
  }

  private HttpResponse<String> call(String service, HttpRequest request, CallOptions options) {
    try {
      return http.send(request, BodyHandlers.ofString(), options);
    } catch (NoInstanceAvailableException e) {
      throw new HttpProblem(503, "no-instance", service + ": no instance may serve this tenant (" + e.getMessage() + ")");
    } catch (CallNotPermittedException e) {
      throw new HttpProblem(503, "upstream-unavailable", service + ": " + e.getMessage());
    } catch (IOException e) {
      // toString: the JDK's ConnectException (a refused connection) has no message
      throw new HttpProblem(502, "upstream-failed", service + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HttpProblem(503, "interrupted", service + ": interrupted while shutting down");
    }
  }

  private String problemField(HttpResponse<String> r, String field, String fallback) {
    try {
      return json.readTree(r.body()).path(field).asText(fallback);
    } catch (IOException e) {
      return fallback;
    }
  }
}
