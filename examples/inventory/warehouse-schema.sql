-- The warehouse's stock levels (PostgreSQL), the master of every SKU's quantity, as the model's
-- stockItem mapping names them. Syncline adds each order to inventory_quantity in place
-- (inventory_quantity = inventory_quantity + ?), never below 0, in the transaction of the order's
-- idempotency key: the table lives in Syncline's own state store database (datasource: default).
CREATE TABLE stock_levels (
    sku                VARCHAR(64) PRIMARY KEY,
    inventory_quantity INTEGER NOT NULL,
    reorder_point      INTEGER NOT NULL DEFAULT 0,
    warehouse_location VARCHAR(32)
);
