-- The demo profile's empresa (the local stack's first one), its WhatsApp instance and the webhook secret the Evolution
-- simulator posts with (DEMO_WEBHOOK_SECRET, given as :secret). Only the secret's SHA-256 is stored, as the ingest
-- expects; a secret changed in the env file replaces the previous one. Run again, it changes nothing.
SELECT set_config('chatcentral.demo_secret', :'secret', false) \gset ignored_
DO $$
BEGIN
    IF length(current_setting('chatcentral.demo_secret')) < 16 THEN
        RAISE EXCEPTION 'DEMO_WEBHOOK_SECRET must be set to at least 16 characters for the demo profile (openssl rand -base64 32)';
    END IF;
END $$;

BEGIN;
INSERT INTO empresa (id, nome) VALUES ('emp-demo-1', 'Loja Aurora') ON CONFLICT (id) DO NOTHING;
INSERT INTO empresa_instance (empresa_id, instance) VALUES ('emp-demo-1', 'loja-aurora-01') ON CONFLICT DO NOTHING;
UPDATE empresa_webhook_secret SET revoked_at = now()
 WHERE empresa_id = 'emp-demo-1' AND revoked_at IS NULL
   AND secret_sha256 <> sha256(convert_to(:'secret', 'UTF8'));
INSERT INTO empresa_webhook_secret (empresa_id, secret_sha256)
SELECT 'emp-demo-1', sha256(convert_to(:'secret', 'UTF8'))
 WHERE NOT EXISTS (SELECT 1 FROM empresa_webhook_secret
                    WHERE empresa_id = 'emp-demo-1' AND revoked_at IS NULL
                      AND secret_sha256 = sha256(convert_to(:'secret', 'UTF8')));
COMMIT;
