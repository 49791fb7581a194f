-- Issue 3: what each revision changed (counts from the structured diff against the revision before
-- it, so listing history needs no diffing), and which token created each token.
-- Rows written before this migration keep NULL counts; the API computes them on read.

ALTER TABLE revisions ADD COLUMN created_count INTEGER;
ALTER TABLE revisions ADD COLUMN updated_count INTEGER;
ALTER TABLE revisions ADD COLUMN deleted_count INTEGER;

ALTER TABLE tokens ADD COLUMN created_by VARCHAR(63);
