-- The embedded store's transaction journal (JournaledTxStore): the tables hold every journal record up to
-- applied_seq; after a crash the journal's records past it are applied again. One row; unused on PostgreSQL,
-- where every decision is committed to the tables themselves.
CREATE TABLE tx_journal (
  id          INT    NOT NULL PRIMARY KEY,
  applied_seq BIGINT NOT NULL
);
INSERT INTO tx_journal (id, applied_seq) VALUES (1, 0);

-- The audit events the journaled store writes with the transaction's row, as a JSON array, instead of one
-- tx_event row each (a row of tx_event cost more than the transaction's own row: its identity, index and
-- foreign key). A transaction's events are its tx_event rows, then these. Null on PostgreSQL.
ALTER TABLE tx_global ADD COLUMN events VARCHAR(1000000);
