-- A route that answers itself (redirect, directResponse) names no pool. Routes that name one keep the
-- foreign key: the database still refuses to delete a pool a route sends traffic to.
ALTER TABLE routes ALTER COLUMN pool_name DROP NOT NULL;
