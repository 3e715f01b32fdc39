-- Webhook signing secrets a sender hands over in a handshake when a webhook is created (Asana's
-- X-Hook-Secret), one per system and webhook path, sealed with AES-GCM under SYNCLINE_TOKEN_KEY.
-- open_until: a handshake is awaited there until then (an operator opened it through the admin
-- API before creating the webhook); taking one sets secret and received_at and clears open_until.
CREATE TABLE webhook_secret (
    system_name  VARCHAR(200)             NOT NULL,
    webhook_path VARCHAR(1000)            NOT NULL,
    secret       TEXT,
    open_until   TIMESTAMP WITH TIME ZONE,
    received_at  TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (system_name, webhook_path)
);
