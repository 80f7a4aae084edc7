package dev.chatcentral.processor.conversa;

/** What identifies a conversa: one customer (or group) on one WhatsApp number of one empresa. */
public record ConversaKey(String empresaId, String instance, String customerJid) {

    /** The key of the conversa state store. */
    public String storeKey() {
        return empresaId + "|" + instance + "|" + customerJid;
    }

    public String conversaId() {
        return DeterministicIds.conversaId(empresaId, instance, customerJid);
    }

    public boolean isGroup() {
        return customerJid.endsWith("@g.us");
    }
}
