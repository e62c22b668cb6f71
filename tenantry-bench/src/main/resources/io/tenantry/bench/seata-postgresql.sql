-- The tables Seata 2.0.0's db store reads and writes on PostgreSQL (session and lock stores, and the distributed
-- lock of its background jobs), with the names and columns its DAOs use: created in a fresh database of the
-- benchmark before Seata starts in db mode. Statements end with a semicolon at the end of a line.
CREATE TABLE global_table (
  xid VARCHAR(128) NOT NULL PRIMARY KEY,
  transaction_id BIGINT,
  status SMALLINT NOT NULL,
  application_id VARCHAR(32),
  transaction_service_group VARCHAR(32),
  transaction_name VARCHAR(128),
  timeout INT,
  begin_time BIGINT,
  application_data VARCHAR(2000),
  gmt_create TIMESTAMP(0),
  gmt_modified TIMESTAMP(0)
);
CREATE INDEX global_table_status_modified ON global_table (status, gmt_modified);
CREATE INDEX global_table_transaction_id ON global_table (transaction_id);
CREATE TABLE branch_table (
  branch_id BIGINT NOT NULL PRIMARY KEY,
  xid VARCHAR(128) NOT NULL,
  transaction_id BIGINT,
  resource_group_id VARCHAR(32),
  resource_id VARCHAR(256),
  branch_type VARCHAR(8),
  status SMALLINT,
  client_id VARCHAR(64),
  application_data VARCHAR(2000),
  gmt_create TIMESTAMP(6),
  gmt_modified TIMESTAMP(6)
);
CREATE INDEX branch_table_xid ON branch_table (xid);
CREATE TABLE lock_table (
  row_key VARCHAR(128) NOT NULL PRIMARY KEY,
  xid VARCHAR(128),
  transaction_id BIGINT,
  branch_id BIGINT NOT NULL,
  resource_id VARCHAR(256),
  table_name VARCHAR(32),
  pk VARCHAR(36),
  status SMALLINT NOT NULL DEFAULT 0,
  gmt_create TIMESTAMP(0),
  gmt_modified TIMESTAMP(0)
);
CREATE INDEX lock_table_branch_id ON lock_table (branch_id);
CREATE INDEX lock_table_xid ON lock_table (xid);
CREATE TABLE distributed_lock (
  lock_key VARCHAR(20) NOT NULL PRIMARY KEY,
  lock_value VARCHAR(20) NOT NULL,
  expire BIGINT NOT NULL
);
INSERT INTO distributed_lock (lock_key, lock_value, expire) VALUES
  ('AsyncCommitting', ' ', 0), ('RetryCommitting', ' ', 0), ('RetryRollbacking', ' ', 0), ('TxTimeoutCheck', ' ', 0);
