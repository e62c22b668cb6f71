package io.tenantry.bench.jmh;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.functions.CheckedSupplier;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The baselines of the SDK's per-call cost: one call through a stub transport ({@link StubHttpClient},
 * no network), bare, and wrapped in the protections the SDK's governed path is held against: a
 * Resilience4j retry, circuit breaker and rate limiter; the same with a Bucket4j token bucket as the
 * limiter; and Sentinel's entry/exit with a flow rule and a degrade rule. No limit is ever reached: the
 * benchmark measures the cost of checking, not of refusing. One thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CallCostBenchmark {
  private static final String RESOURCE = "payment";

  private HttpClient transport;
  /** Not a constant, so that the URI string is built on every call as a client would. */
  private int port = 8080;
  private HttpRequest request;
  private HttpResponse.BodyHandler<Void> handler;
  private CheckedSupplier<HttpResponse<Void>> resilience4j;
  private CheckedSupplier<HttpResponse<Void>> resilience4jBucket4j;

  @Setup
  public void setUp() {
    transport = new StubHttpClient();
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/pay")).GET().build();
    handler = HttpResponse.BodyHandlers.discarding();

    CircuitBreaker breaker = CircuitBreaker.of(RESOURCE, CircuitBreakerConfig.ofDefaults());
    Retry retry = Retry.of(RESOURCE, RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(25)).build());
    RateLimiter limiter = RateLimiter.of(RESOURCE, RateLimiterConfig.custom().limitForPeriod(1_000_000_000)
        .limitRefreshPeriod(Duration.ofSeconds(1)).timeoutDuration(Duration.ZERO).build());
    resilience4j = Decorators.ofCheckedSupplier(this::bareCall)
        .withRateLimiter(limiter).withCircuitBreaker(breaker).withRetry(retry).decorate();

    Bucket bucket = Bucket.builder().addLimit(Bandwidth.builder().capacity(1_000_000_000L)
        .refillGreedy(1_000_000_000L, Duration.ofSeconds(1)).build()).build();
    CircuitBreaker breaker2 = CircuitBreaker.of(RESOURCE + "-2", CircuitBreakerConfig.ofDefaults());
    Retry retry2 = Retry.of(RESOURCE + "-2", RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(25)).build());
    CheckedSupplier<HttpResponse<Void>> limited = () -> {
      if (!bucket.tryConsume(1)) {
        throw new IllegalStateException("rate limited");
      }
      return bareCall();
    };
    resilience4jBucket4j = Decorators.ofCheckedSupplier(limited).withCircuitBreaker(breaker2).withRetry(retry2).decorate();

    // Sentinel logs under ~/logs/csp unless told otherwise: keep its files out of the home directory.
    System.setProperty("csp.sentinel.log.dir", Path.of(System.getProperty("java.io.tmpdir"), "sentinel-bench").toString());
    FlowRule flow = new FlowRule(RESOURCE);
    flow.setGrade(RuleConstant.FLOW_GRADE_QPS);
    flow.setCount(1_000_000_000);
    FlowRuleManager.loadRules(List.of(flow));
    DegradeRule degrade = new DegradeRule(RESOURCE);
    degrade.setGrade(RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO);
    degrade.setCount(0.5);
    degrade.setMinRequestAmount(100);
    degrade.setStatIntervalMs(1_000);
    degrade.setTimeWindow(10);
    DegradeRuleManager.loadRules(List.of(degrade));
  }

  @TearDown
  public void tearDown() {
    FlowRuleManager.loadRules(List.of());
    DegradeRuleManager.loadRules(List.of());
  }

  private HttpResponse<Void> bareCall() throws IOException, InterruptedException {
    return transport.send(request, handler);
  }

  /** The call alone. */
  @Benchmark
  public HttpResponse<Void> bare() throws IOException, InterruptedException {
    return bareCall();
  }

  /**
   * The call with the request built for it, as any client over the JDK HttpClient must do to aim one
   * logical request at a chosen instance (a new URI and the tenant, baggage, caller and attempt headers):
   * the floor under the SDK's governed call, which the other baselines do not pay.
   */
  @Benchmark
  public HttpResponse<Void> bareWithRequestBuilt() throws IOException, InterruptedException {
    HttpRequest built = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pay"))
        .header("X-Tenant-Id", "globex").header("baggage", "tenant.id=globex").header("X-Tenantry-Caller", "order")
        .header("X-Tenantry-Attempt", "1").timeout(Duration.ofSeconds(10)).GET().build();
    return transport.send(built, handler);
  }

  /** Resilience4j: retry around a circuit breaker around a rate limiter. */
  @Benchmark
  public HttpResponse<Void> resilience4j() throws Throwable {
    return resilience4j.get();
  }

  /** Resilience4j retry and circuit breaker, with a Bucket4j token bucket as the rate limiter. */
  @Benchmark
  public HttpResponse<Void> resilience4jBucket4j() throws Throwable {
    return resilience4jBucket4j.get();
  }

  /**
   * Sentinel entry/exit on a resource with a flow rule and a degrade rule. Sentinel's clock adapts to the
   * call rate over several seconds (its TimeUtil switches from System.currentTimeMillis to a ticking
   * field), so it gets a longer warm-up: with three 1 s iterations its first measured figures are 5x higher.
   */
  @Benchmark
  @Warmup(iterations = 8, time = 1)
  public HttpResponse<Void> sentinel() throws IOException, InterruptedException, BlockException {
    Entry entry = SphU.entry(RESOURCE);
    try {
      return bareCall();
    } catch (IOException | RuntimeException e) {
      Tracer.trace(e);
      throw e;
    } finally {
      entry.exit();
    }
  }
}
