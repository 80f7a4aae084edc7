-- The mensagem fields chat-central changed on the way in (text cut at its limit or cleaned, sentAt replaced by the
-- time received): null when it kept the mensagem as WhatsApp sent it.
ALTER TABLE mensagem ADD COLUMN sanitized text[];
