-- A change a rule of the model holds for approval waits in the review queue as kind held_by_rule.
ALTER TABLE review_item DROP CONSTRAINT review_item_kind_ck;
ALTER TABLE review_item ADD CONSTRAINT review_item_kind_ck
    CHECK (kind IN ('held_record', 'ambiguous_match', 'conflict', 'reconciliation', 'held_by_rule'));
