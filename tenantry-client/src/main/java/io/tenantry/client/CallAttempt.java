package io.tenantry.client;

import io.tenantry.api.Instance;
import java.time.Duration;

/**
 * One attempt of a governed call, as told to a {@link CallObserver}. Immutable.
 *
 * @param service  the logical service called
 * @param tenant   the tenant the call was made for, or null
 * @param method   the call's method: the HTTP method, or what a {@link Governor} caller named
 * @param instance the instance this attempt went to
 * @param attempt  1 for the first attempt
 * @param outcome  how the attempt ended
 * @param status   the HTTP status, or 0 if no response arrived
 * @param latency  how long the attempt took
 * @param willRetry true if the client makes another attempt after this one
 * @param failover true if this attempt went to a different instance than the previous attempt
 */
public record CallAttempt(String service, String tenant, String method, Instance instance, int attempt, CallOutcome outcome,
    int status, Duration latency, boolean willRetry, boolean failover) {}
