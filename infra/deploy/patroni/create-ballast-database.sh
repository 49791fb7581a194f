#!/bin/sh
# Patroni's post_bootstrap hook: runs once, on the first primary, with a superuser connection URL
# as $1. Creates the role and database the control planes use (BALLAST_DB_USER=ballast,
# BALLAST_DB_PASSWORD from Patroni's environment); the schema is Flyway's job at control-plane start.
set -eu
psql "$1" -v ON_ERROR_STOP=1 -v pw="$BALLAST_DB_PASSWORD" <<'SQL'
CREATE ROLE ballast LOGIN PASSWORD :'pw';
CREATE DATABASE ballast OWNER ballast;
SQL
