-- The Quickstart's billing table takes deletions softly (routes/contacts.syncline.yaml,
-- delete: {mode: soft, column: deleted_at}): a deleted contact keeps its row, stamped.
ALTER TABLE demo_contact ADD COLUMN deleted_at TIMESTAMP WITH TIME ZONE;
