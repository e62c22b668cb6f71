package io.tenantry.client.internal;

import io.tenantry.client.LoadBalancer;
import io.tenantry.client.internal.trace.TraceSettings;
import io.tenantry.client.internal.metrics.MetricsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A validated client configuration, as the builder produced it. Immutable (the data source is the user's). */
public record ClientConfig(List<URI> servers, String namespace, String apiKey, String serviceName,
    Path snapshotDirectory, LoadBalancer loadBalancer, double protectThreshold, Duration protectHoldLimit,
    Duration firstLookupWait, Duration requestTimeout, HttpClient httpClient, Clock clock,
    boolean shutdownHook, String zone, URI clusterLimits, TraceSettings tracing, MetricsSettings metrics,
    javax.sql.DataSource transactionLog) {}
