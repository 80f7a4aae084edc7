-- Who served each conversa, and when it changed hands or status: one row per conversa version whose atendente or
-- status differs from the version before it, written by the stream-processor's sink in the same transaction as
-- the conversa row. (conversa_id, version) as the key makes a replayed record a no-op.
CREATE TABLE conversa_assignment_audit (
    conversa_id       uuid        NOT NULL,
    empresa_id        text        NOT NULL,
    from_atendente_id text,
    to_atendente_id   text,
    -- null when the sink had never seen the conversa before this version
    from_status       text CHECK (from_status IN ('aguardando', 'em_atendimento', 'encerrada')),
    status            text        NOT NULL CHECK (status IN ('aguardando', 'em_atendimento', 'encerrada')),
    version           bigint      NOT NULL,
    changed_at        timestamptz NOT NULL,
    PRIMARY KEY (conversa_id, version)
);
-- The console's audit views: an empresa's recent changes, and an atendente's.
CREATE INDEX conversa_assignment_audit_empresa_time ON conversa_assignment_audit (empresa_id, changed_at DESC);
CREATE INDEX conversa_assignment_audit_atendente_time
    ON conversa_assignment_audit (empresa_id, to_atendente_id, changed_at DESC);

-- A conversa's history is paged by (sent_at, id): WhatsApp timestamps have whole seconds, so sent_at alone ties
-- and a page boundary inside a tie would skip or repeat mensagens.
DROP INDEX mensagem_conversa_time;
CREATE INDEX mensagem_conversa_time ON mensagem (conversa_id, sent_at, id);
