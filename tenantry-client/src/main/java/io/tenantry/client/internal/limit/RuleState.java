package io.tenantry.client.internal.limit;

/**
 * What a limit keeps across reconfigurations: its buckets and counters, and what they were sized for.
 * The local store is kept while the limit counts per the same thing; the remote store while the
 * definition and the policy version are unchanged (remote buckets are then converted by version, in
 * the backend). Immutable holder of thread-safe parts.
 *
 * @param remote null for a limit counted locally only
 */
record RuleState(LimitDefinition definition, long version, KeyedBuckets local, KeyedBuckets remote,
    RuleCounters counters) {}
