-- Grows at each change of an empresa's instances or webhook secrets made through the admin API, which publishes the
-- empresa to chat.empresas after each: ingest nodes keep the highest version they saw, so two changes published by
-- two nodes in the other order still end as the later.
ALTER TABLE empresa ADD COLUMN directory_version bigint NOT NULL DEFAULT 0;
