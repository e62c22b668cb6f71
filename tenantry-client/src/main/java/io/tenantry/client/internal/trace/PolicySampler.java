package io.tenantry.client.internal.trace;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.tenantry.api.policy.Policy;
import io.tenantry.api.policy.PolicyKind;
import io.tenantry.api.policy.PolicySpecs;
import io.tenantry.api.policy.TracingSpec;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the root span of a trace by the {@code tracing} policies in force: the ratio of the span's service
 * ({@code tenantry.service}) for its tenant ({@code tenant.id}), see {@link TracingSpec}. The decision is made on
 * the trace id, as OpenTelemetry's ratio sampler makes it, so SDKs agree on a trace. Used under a parent-based
 * sampler: spans with a parent follow it. Thread-safe; the policies are swapped whole.
 */
final class PolicySampler implements Sampler {
  static final AttributeKey<String> TENANT = AttributeKey.stringKey("tenant.id");
  static final AttributeKey<String> SERVICE = AttributeKey.stringKey("tenantry.service");
  private static final Logger LOG = LoggerFactory.getLogger(PolicySampler.class);
  private static final SamplingResult SAMPLE = SamplingResult.recordAndSample();
  private static final SamplingResult DROP = SamplingResult.drop();

  private final double fallback;
  private volatile Specs specs = new Specs(Map.of(), null);

  private record Specs(Map<String, TracingSpec> byService, TracingSpec any) {}

  /** @param fallback the ratio when no policy says anything */
  PolicySampler(double fallback) {
    this.fallback = fallback;
  }

  /** Applies the tracing policies among {@code policies} to the next root spans. */
  void apply(Collection<Policy> policies) {
    Map<String, TracingSpec> byService = new HashMap<>();
    TracingSpec any = null;
    for (Policy p : policies) {
      if (p.kind() != PolicyKind.TRACING || p.dryRun()) {
        continue;
      }
      try {
        TracingSpec spec = (TracingSpec) PolicySpecs.parse(p);
        if (p.anyService()) {
          any = spec;
        } else {
          byService.put(p.service(), spec);
        }
      } catch (RuntimeException e) {
        LOG.error("tracing policy {} cannot be applied; sampling without it: {}", p.key(), e.getMessage());
      }
    }
    specs = new Specs(Map.copyOf(byService), any);
  }

  /** The share of root traces sampled for calls to {@code service} (may be null) for {@code tenant} (may be null). */
  double ratio(String service, String tenant) {
    Specs s = specs;
    TracingSpec own = service == null ? null : s.byService.get(service);
    Double r = own == null ? null : own.ratioOf(tenant);
    if (r == null && s.any != null) {
      r = s.any.ratioOf(tenant);
    }
    return r != null ? r : fallback;
  }

  @Override
  public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
      Attributes attributes, List<LinkData> parentLinks) {
    return sampled(traceId, ratio(attributes.get(SERVICE), attributes.get(TENANT))) ? SAMPLE : DROP;
  }

  /** OpenTelemetry's rule: the trace id's last 8 bytes, as a positive long, under ratio × Long.MAX_VALUE. */
  static boolean sampled(String traceId, double ratio) {
    if (ratio >= 1) {
      return true;
    }
    if (ratio <= 0) {
      return false;
    }
    long random = Long.parseUnsignedLong(traceId, 16, 32, 16);
    return Math.abs(random) < (long) (ratio * Long.MAX_VALUE);
  }

  @Override
  public String getDescription() {
    return "TenantryPolicySampler{default=" + fallback + "}";
  }
}
