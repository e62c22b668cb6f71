package io.tenantry.client;

/**
 * Counters of one client since it was built, a consistent-enough copy taken by
 * {@link TenantryClient#stats()}. Immutable.
 *
 * @param protectionEpisodes times empty-push protection held a service's instances against a drop
 * @param servicesProtected  services held by empty-push protection right now
 * @param watchConnects      watch streams opened (the first one included)
 * @param relists            full lists taken after a stream broke, a 410 or an ERROR event
 * @param heartbeatFailures  heartbeat rounds that could not reach the control plane
 * @param reregistrations    registrations sent again after a lost lease or a control-plane restart
 * @param snapshotWrites     on-disk snapshots written
 */
public record ClientStats(long protectionEpisodes, int servicesProtected, long watchConnects, long relists,
    long heartbeatFailures, long reregistrations, long snapshotWrites) {}
