-- Issue 19. A mensagem's status no longer orders its changes by itself (ERROR is followed by a delivery receipt,
-- an edit or a reaction changes no status): the processor counts them in revision, and the sink keeps the highest.
ALTER TABLE mensagem ADD COLUMN revision bigint NOT NULL DEFAULT 0;
-- why a reply is ERROR or UNCONFIRMED: a code, words for people, and for instance_unavailable when to try again
ALTER TABLE mensagem ADD COLUMN status_reason text;
ALTER TABLE mensagem ADD COLUMN status_detail text;
ALTER TABLE mensagem ADD COLUMN retry_at timestamptz;
-- WhatsApp edits keep the first text; a revoke keeps the text for the record and marks when it was deleted
ALTER TABLE mensagem ADD COLUMN original_text text;
ALTER TABLE mensagem ADD COLUMN edited_at timestamptz;
ALTER TABLE mensagem ADD COLUMN deleted_at timestamptz;
-- one reaction per reacting number, as WhatsApp keeps them: [{reactorJid, fromMe, emoji, reactedAt}]
ALTER TABLE mensagem ADD COLUMN reactions jsonb NOT NULL DEFAULT '[]'::jsonb;

-- a send whose request may have reached Evolution without an answer is neither SENT nor FAILED
ALTER TABLE outbound_attempt DROP CONSTRAINT outbound_attempt_outcome_check;
ALTER TABLE outbound_attempt ADD CONSTRAINT outbound_attempt_outcome_check
    CHECK (outcome IN ('SENT', 'FAILED', 'UNCONFIRMED'));
-- the outcome's code (instance_unavailable, no_answer, ...) and, for instance_unavailable, when to try again
ALTER TABLE outbound_attempt ADD COLUMN reason text;
ALTER TABLE outbound_attempt ADD COLUMN retry_at timestamptz;
