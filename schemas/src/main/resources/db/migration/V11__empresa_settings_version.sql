-- The version of each empresa's latest settings on chat.empresa.settings, claimed by the gateway node that writes the
-- next one while it writes it (the row stays locked until Kafka acknowledged), so two nodes changing one empresa's
-- settings at once cannot both write the same next version: the second is told the settings changed.
CREATE TABLE empresa_settings_version (
    empresa_id text PRIMARY KEY,
    version    bigint NOT NULL
);
