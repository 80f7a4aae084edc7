-- One row per reply the dispatcher tried to send to WhatsApp (chat.outbound), written before Evolution is called:
-- the primary key makes a redelivered command find its row instead of calling Evolution a second time. A row
-- without finished_at is a call whose outcome was never recorded (the dispatcher died during it).
CREATE TABLE outbound_attempt (
    command_id  text PRIMARY KEY,
    mensagem_id text,
    empresa_id  text        NOT NULL,
    instance    text        NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    outcome     text CHECK (outcome IN ('SENT', 'FAILED')),
    key_id      text,
    error       text,
    -- HTTP calls made to Evolution for this command (retries included)
    attempts    integer     NOT NULL DEFAULT 0,
    CHECK ((finished_at IS NULL) = (outcome IS NULL))
);
-- Operators' view of calls that died midway: few rows, looked up by age.
CREATE INDEX outbound_attempt_unfinished ON outbound_attempt (started_at) WHERE finished_at IS NULL;
