-- Tenants, their WhatsApp numbers (Evolution instances) and the secrets their webhooks authenticate with.
CREATE TABLE empresa (
    id         text PRIMARY KEY,
    nome       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE empresa_instance (
    empresa_id text        NOT NULL REFERENCES empresa (id),
    instance   text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (empresa_id, instance)
);

-- Only a SHA-256 of each secret is stored. Several live rows per empresa allow rotation without downtime.
CREATE TABLE empresa_webhook_secret (
    id            bigserial PRIMARY KEY,
    empresa_id    text        NOT NULL REFERENCES empresa (id),
    secret_sha256 bytea       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
CREATE INDEX empresa_webhook_secret_live ON empresa_webhook_secret (empresa_id) WHERE revoked_at IS NULL;

-- The record of conversas and mensagens, written by the stream-processor's sink from chat.conversas and
-- chat.mensagens. Rows are upserted idempotently: replaying a topic leaves them as they are.
CREATE TABLE conversa (
    id                    uuid PRIMARY KEY,
    empresa_id            text        NOT NULL,
    instance              text        NOT NULL,
    remote_jid            text        NOT NULL,
    remote_jid_alt        text,
    contact_name          text,
    status                text        NOT NULL CHECK (status IN ('aguardando', 'em_atendimento', 'encerrada')),
    atendente_id          text,
    unread_count          integer     NOT NULL DEFAULT 0,
    last_mensagem_preview text,
    last_mensagem_at      timestamptz,
    version               bigint      NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
-- The console's lists: conversas of an empresa by status (and by atendente), most recent first.
CREATE INDEX conversa_empresa_status ON conversa (empresa_id, status, last_mensagem_at DESC);
CREATE INDEX conversa_empresa_atendente ON conversa (empresa_id, atendente_id, last_mensagem_at DESC);

-- status_rank orders delivery statuses (PENDING 0 .. PLAYED 4, ERROR 5) so an update only moves forward.
CREATE TABLE mensagem (
    id           uuid PRIMARY KEY,
    conversa_id  uuid        NOT NULL,
    empresa_id   text        NOT NULL,
    instance     text        NOT NULL,
    key_id       text        NOT NULL,
    from_me      boolean     NOT NULL,
    sender_jid   text,
    sender_name  text,
    message_type text        NOT NULL,
    text         text,
    status       text        NOT NULL,
    status_rank  smallint    NOT NULL,
    sent_at      timestamptz NOT NULL,
    received_at  timestamptz NOT NULL,
    UNIQUE (empresa_id, instance, key_id, from_me)
);
-- A conversa's history, paged by time.
CREATE INDEX mensagem_conversa_time ON mensagem (conversa_id, sent_at);
