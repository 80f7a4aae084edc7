-- A commandId is made by the atendente's client: unique for that user only. One empresa's id must never suppress
-- another empresa's reply, nor a colleague's, so a send is identified by empresa, user and commandId.
ALTER TABLE outbound_attempt ADD COLUMN user_id text NOT NULL DEFAULT '';
ALTER TABLE outbound_attempt DROP CONSTRAINT outbound_attempt_pkey;
ALTER TABLE outbound_attempt ADD PRIMARY KEY (empresa_id, user_id, command_id);
