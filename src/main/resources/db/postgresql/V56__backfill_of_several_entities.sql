-- A backfill of several entities (docs/backfill.md#related-records): the job copies them in turn,
-- parents first. entities: the order (NULL: only entity); entity: the one it is on, whose
-- checkpoint the job holds; entity_counts: what each finished entity read and counted.
ALTER TABLE backfill_job ADD COLUMN entities VARCHAR(1000);
ALTER TABLE backfill_job ADD COLUMN entity_counts TEXT;

-- A dry run's report line is the entity's too (two entities may share a source key), and counts
-- the references it could not resolve.
ALTER TABLE backfill_item ADD COLUMN entity VARCHAR(100);
UPDATE backfill_item SET entity = (SELECT j.entity FROM backfill_job j WHERE j.id = backfill_item.job_id);
ALTER TABLE backfill_item ALTER COLUMN entity SET NOT NULL;
ALTER TABLE backfill_item ADD COLUMN unresolved INT NOT NULL DEFAULT 0;
ALTER TABLE backfill_item DROP CONSTRAINT backfill_item_pkey;
ALTER TABLE backfill_item ADD PRIMARY KEY (job_id, entity, target, source_key);
