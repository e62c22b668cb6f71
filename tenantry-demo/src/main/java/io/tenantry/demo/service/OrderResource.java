package io.tenantry.demo.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tenantry.api.Names;
import io.tenantry.client.CallNotPermittedException;
import io.tenantry.client.CallOptions;
import io.tenantry.client.GovernedHttpClient;
import io.tenantry.client.NoInstanceAvailableException;
import io.tenantry.demo.service.Records.NewOrder;
import io.tenantry.demo.service.Records.NewPayment;
import io.tenantry.demo.service.Records.Order;
import io.tenantry.demo.service.Records.Payment;
import io.tenantry.demo.service.Router.Response;
import io.tenantry.demo.store.Database;
import io.tenantry.demo.store.OrderBook;
import io.tenantry.demo.store.OrderBook.StoredOrder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The order service: {@code POST /orders} checks the user with the user service, reserves the order
 * (pending) in its database, pays with the payment service and marks the order paid, or cancelled when
 * the payment failed; {@code GET /orders/{id}}. Both calls go through the governed client in the
 * caller's tenant context, so a siloed tenant's order reaches only its own user and payment instances.
 * The payment is retryable because it carries the order id as its idempotency key: a retried payment is
 * never charged twice. An order names the instance and version that placed it, so a caller sees which
 * share of its orders a canary served. Thread-safe.
 */
final class OrderResource implements Resource {
  static final CallOptions USER_CALL = CallOptions.defaults().timeout(Duration.ofSeconds(2)).maxAttempts(3);
  /**
   * A payment may be retried: it is idempotent by its key. How often, how long an attempt may take,
   * the retry budget, the breaker and outlier ejection are the {@code payment} resilience policy's
   * (the demo's {@code payment-resilience.yaml}), not fixed here: explicit call options would win over it.
   */
  static final CallOptions PAYMENT_CALL = CallOptions.defaults().retryable(true);

  private final OrderBook book = new OrderBook();
  private final Database db;
  private final GovernedHttpClient http;
  private final Supplier<String> ids;
  private final Counters counters;
  private final ObjectMapper json;
  private final String instanceId;
  private final String version;

  /** {@code instanceId}, {@code version}: this instance's, written into every order it places. */
  OrderResource(Database db, GovernedHttpClient http, Supplier<String> ids, Counters counters, ObjectMapper json,
      String instanceId, String version) {
    this.db = db;
    this.instanceId = instanceId;
    this.version = version;
    this.http = http;
    this.ids = ids;
    this.counters = counters;
    this.json = json;
  }

  @Override
  public void routes(Router router) {
    router.tenantRoute("POST", "/orders", (tenant, request) -> {
      NewOrder n = request.body(NewOrder.class);
      try {
        Order order = place(tenant, n);
        counters.increment(tenant, "ordersCreated");
        return new Response(201, order);
      } catch (HttpProblem p) {
        counters.increment(tenant, "ordersFailed");
        throw p;
      }
    });
    router.tenantRoute("GET", "/orders/([^/]+)", (tenant, request) -> {
      String id = Names.id("id", request.param(1));
      return new Response(200, Order.of(Books.run(db, c -> book.find(c, tenant, id))
          .orElseThrow(() -> HttpProblem.notFound("order", id))));
    });
  }

  private Order place(String tenant, NewOrder n) throws IOException {
    checkUser(n.userId());
    String orderId = "o-" + ids.get();
    StoredOrder order = new StoredOrder(tenant, orderId, n.userId(), n.amount(), OrderBook.Status.PENDING, instanceId,
        version, null);
    Books.run(db, c -> {
      book.reserve(c, order);
      return null;
    });
    try {
      pay(orderId, n.userId(), n.amount());
    } catch (RuntimeException e) {
      Books.run(db, c -> {
        book.cancel(c, tenant, orderId);
        return null;
      });
      throw e;
    }
    Books.run(db, c -> {
      book.confirm(c, tenant, orderId);
      return null;
    });
    return Order.of(Books.run(db, c -> book.find(c, tenant, orderId)).orElseThrow());
  }

  private void checkUser(String userId) {
    HttpResponse<String> r = call("user", HttpRequest.newBuilder(URI.create("http://user/users/" + userId)).GET().build(),
        USER_CALL);
    if (r.statusCode() == 404) {
      throw new HttpProblem(404, "user-not-found", "userId: " + userId + " (expected: a user of this tenant)", "userId");
    }
    if (r.statusCode() != 200) {
      throw new HttpProblem(502, "upstream-failed", "user service answered HTTP " + r.statusCode());
    }
  }

  private Payment pay(String orderId, String customer, long amount) throws JsonProcessingException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://payment/payments"))
        .header("Content-Type", "application/json")
        .header(PaymentResource.IDEMPOTENCY_KEY, orderId)
        .POST(BodyPublishers.ofByteArray(json.writeValueAsBytes(new NewPayment(orderId, customer, amount))))
        .build();
    HttpResponse<String> r = call("payment", request, PAYMENT_CALL);
    if (r.statusCode() == 409) {
      // a business refusal (not enough money in the wallet): the caller's answer too
      throw new HttpProblem(409, problemType(r), "payment refused: " + problemDetail(r));
    }
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new HttpProblem(502, "payment-failed", "payment service answered HTTP " + r.statusCode()
          + " after retries");
    }
    return json.readValue(r.body(), Payment.class);
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

  private String problemType(HttpResponse<String> r) {
    return problemField(r, "type", "payment-refused").replaceAll(".*/", "");
  }

  private String problemDetail(HttpResponse<String> r) {
    return problemField(r, "detail", "HTTP " + r.statusCode());
  }

  private String problemField(HttpResponse<String> r, String field, String fallback) {
    try {
      return json.readTree(r.body()).path(field).asText(fallback);
    } catch (IOException e) {
      return fallback;
    }
  }
}
