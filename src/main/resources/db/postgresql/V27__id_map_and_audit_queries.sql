-- The operators' queries of the ID map and the audit log (docs/reference/admin-api.md).
--
-- The ID map is listed in its primary key's order (entity, system, system id), a keyset page
-- at a time, so that its filters by entity, system and system id read a range of that key. Only
-- "linked after" (created_at) has no key of its own: without one, a page of the links made since
-- yesterday read every link of the map to find them. Links are appended in time order, so the
-- index grows at its right edge only.
CREATE INDEX id_map_created_idx ON id_map (created_at);

-- The audit log's time range: a BRIN index, a few pages for millions of entries, since entries
-- are appended in time order. A B-tree here would cost every applied event one more index entry.
CREATE INDEX audit_log_occurred_brin ON audit_log USING brin (occurred_at);

-- A link made by an ID map import is audited as 'linked', one entry a link.
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_ck;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_ck CHECK (action IN ('created', 'updated', 'unchanged', 'deleted',
    'skipped-duplicate', 'skipped-stale', 'echo', 'held', 'failed', 'discarded', 'refused', 'erased', 'reconsented',
    'linked'));
