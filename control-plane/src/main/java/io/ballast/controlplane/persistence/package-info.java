/**
 * PostgreSQL storage through Hibernate ORM with Panache: entities, repositories and the mapping
 * between rows and shared-model records. Entities never leave this package's callers' transactions;
 * REST and wire code see only records. Schema changes are Flyway migrations in {@code db/migration}.
 */
package io.ballast.controlplane.persistence;
