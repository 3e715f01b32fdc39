-- What the alert notifier last told of each store-wide condition (an alert and its labels, the
-- labels as sorted JSON), shared by all replicas so that the deployment tells it once: whether it
-- fires, its summary as told, when it was told (in that state since then), and which replica last
-- saw it firing and when. A replica tells a change only once its UPDATE has moved revision on from
-- the value it read.
CREATE TABLE alert_notification (
    alert    VARCHAR(100)  NOT NULL,
    labels   VARCHAR(1000) NOT NULL,
    firing   BOOLEAN       NOT NULL DEFAULT FALSE,
    summary  TEXT,
    told_at  TIMESTAMP WITH TIME ZONE,
    seen_at  TIMESTAMP WITH TIME ZONE,
    seen_by  VARCHAR(200),
    revision BIGINT        NOT NULL DEFAULT 0,
    CONSTRAINT alert_notification_pk PRIMARY KEY (alert, labels)
);
