-- Durable objects of the control plane. One script for H2 (MODE=PostgreSQL) and PostgreSQL:
-- only types and constraints both understand.
CREATE TABLE namespaces (
  name        VARCHAR(63)   NOT NULL PRIMARY KEY,
  description VARCHAR(1024) NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  revision    BIGINT        NOT NULL
);

CREATE TABLE tenants (
  namespace VARCHAR(63) NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
  id        VARCHAR(63) NOT NULL,
  tier      VARCHAR(63) NOT NULL,
  status    VARCHAR(16) NOT NULL,
  isolation VARCHAR(16) NOT NULL,
  labels    TEXT        NOT NULL,
  revision  BIGINT      NOT NULL,
  PRIMARY KEY (namespace, id)
);

-- namespace is NULL for platform-admin credentials only.
CREATE TABLE api_keys (
  id          VARCHAR(128) NOT NULL PRIMARY KEY,
  namespace   VARCHAR(63)  REFERENCES namespaces (name) ON DELETE CASCADE,
  name        VARCHAR(63)  NOT NULL,
  role        VARCHAR(32)  NOT NULL,
  secret_hash VARCHAR(64)  NOT NULL,
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  revoked     BOOLEAN      NOT NULL
);
CREATE INDEX api_keys_namespace ON api_keys (namespace);

-- The high-water mark of revisions handed out in blocks (see RevisionStore).
CREATE TABLE revisions (
  id   INT    NOT NULL PRIMARY KEY,
  high BIGINT NOT NULL
);
INSERT INTO revisions (id, high) VALUES (1, 0);
