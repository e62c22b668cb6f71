-- Policies (route, rate-limit, resilience, quota) and every version ever written of each. One script for
-- H2 (MODE=PostgreSQL) and PostgreSQL. A namespace's deletion takes both along (ON DELETE CASCADE).

-- The current version of each live policy; spec is the policy's JSON object as written.
CREATE TABLE policies (
  namespace   VARCHAR(63)   NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
  kind        VARCHAR(16)   NOT NULL,
  name        VARCHAR(63)   NOT NULL,
  service     VARCHAR(63)   NOT NULL,
  dry_run     BOOLEAN       NOT NULL,
  description VARCHAR(1024) NOT NULL,
  spec        TEXT          NOT NULL,
  version     BIGINT        NOT NULL,
  revision    BIGINT        NOT NULL,
  updated_by  VARCHAR(128)  NOT NULL,
  updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, kind, name)
);
CREATE INDEX policies_service ON policies (namespace, kind, service);

-- One row per write: action is created, updated, rolled-back or deleted; restored_version is the version a
-- rollback copied (NULL otherwise). A deleted row holds the content the policy had when it was deleted.
-- Versions of a policy keep counting across a delete and a later re-creation: none is ever reused.
CREATE TABLE policy_history (
  namespace        VARCHAR(63)   NOT NULL REFERENCES namespaces (name) ON DELETE CASCADE,
  kind             VARCHAR(16)   NOT NULL,
  name             VARCHAR(63)   NOT NULL,
  version          BIGINT        NOT NULL,
  action           VARCHAR(16)   NOT NULL,
  restored_version BIGINT,
  service          VARCHAR(63)   NOT NULL,
  dry_run          BOOLEAN       NOT NULL,
  description      VARCHAR(1024) NOT NULL,
  spec             TEXT          NOT NULL,
  revision         BIGINT        NOT NULL,
  updated_by       VARCHAR(128)  NOT NULL,
  updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (namespace, kind, name, version)
);
