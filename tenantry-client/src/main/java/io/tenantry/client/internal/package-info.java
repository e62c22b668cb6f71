/**
 * The SDK's insides: not API, may change in any release. The control-plane client, the watch thread,
 * the discovery cache and empty-push protection, registrations and heartbeats, snapshots, the load
 * balancers and the governed call loop.
 */
package io.tenantry.client.internal;
