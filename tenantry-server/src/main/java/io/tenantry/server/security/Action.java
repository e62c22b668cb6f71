package io.tenantry.server.security;

/** What a request wants to do inside a namespace, from the least to the most privileged. */
public enum Action {
  /** Post spans to the trace collector. */
  INGEST,
  /** List and read tenants, services, instances; watch. */
  READ,
  /** Register, heartbeat and deregister instances. */
  REGISTER,
  /** Begin, join, commit and roll back global transactions. */
  TRANSACT,
  /** Change an instance's status (drain), update tenants. */
  OPERATE,
  /** Create and delete tenants, create and revoke keys, update the namespace. */
  ADMIN,
  /** Create and delete namespaces: platform admins only. */
  PLATFORM
}
