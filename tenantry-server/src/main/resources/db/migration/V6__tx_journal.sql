-- The embedded store's transaction journal (JournaledTxStore): the tables hold every journal record up to
-- applied_seq; after a crash the journal's records past it are applied again. One row; unused on PostgreSQL,
-- where every decision is committed to the tables themselves.
CREATE TABLE tx_journal (
  id          INT    NOT NULL PRIMARY KEY,
  applied_seq BIGINT NOT NULL
);
INSERT INTO tx_journal (id, applied_seq) VALUES (1, 0);
