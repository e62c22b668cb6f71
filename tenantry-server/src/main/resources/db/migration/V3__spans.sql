-- Spans of the trace collector (durable copy of its in-memory index). One script for H2 (MODE=PostgreSQL) and
-- PostgreSQL. A span is kept as it was posted, encoded once as Zipkin proto3 (one span per row): the store never
-- looks inside it. Rows are appended in batches and deleted by age (received_at, epoch milliseconds) and by count;
-- there is no key, since Zipkin allows the same span id twice (the client and the server half of one RPC).
CREATE TABLE spans (
  namespace   VARCHAR(63) NOT NULL,
  trace_id    VARCHAR(32) NOT NULL,
  received_at BIGINT      NOT NULL,
  span        BYTEA       NOT NULL
);
CREATE INDEX spans_received ON spans (received_at);
CREATE INDEX spans_namespace ON spans (namespace, received_at);
