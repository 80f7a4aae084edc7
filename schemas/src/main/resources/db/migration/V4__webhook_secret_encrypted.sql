-- The webhook secret itself, AES-GCM encrypted with the ingest's key: Evolution may sign a JWT with the secret
-- (its jwt_key setting) instead of sending it, and checking that signature needs the secret. Rows without it
-- authenticate the Bearer form only.
ALTER TABLE empresa_webhook_secret ADD COLUMN secret_encrypted bytea;
