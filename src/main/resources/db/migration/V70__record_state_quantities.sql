-- Quantities synced as changes (docs/adr/0019): per record and system, the changes Syncline applied
-- to the system and, per source, the source's own value last accounted for in it. JSON, as
-- applied_from; null for records without a quantity field.
ALTER TABLE record_state ADD COLUMN quantities TEXT;
