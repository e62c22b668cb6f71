/**
 * The storage SPI of durable control-plane objects (namespaces, tenants, API keys, policies and their
 * history, the revision high-water mark) and its one JDBC implementation for H2 and PostgreSQL. Hot
 * registry state never comes here.
 */
package io.tenantry.server.store;
