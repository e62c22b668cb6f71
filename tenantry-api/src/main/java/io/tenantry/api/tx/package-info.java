/**
 * The wire model of distributed transactions: what the SDK sends the coordinator (begin, branch, commit,
 * rollback), what the coordinator sends participants for phase two and the token it signs them with, and
 * the transactions and branches the API lists. State machines and failure cases: docs/TRANSACTIONS.md.
 */
package io.tenantry.api.tx;
