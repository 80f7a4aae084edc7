-- A WhatsApp number belongs to one empresa: attached to two, the second could send from the first's number.
ALTER TABLE empresa_instance ADD CONSTRAINT empresa_instance_one_owner UNIQUE (instance);
