package dev.chatcentral.processor.conversa;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps one customer in one conversa whichever of their identifiers a webhook uses. WhatsApp may hide a phone behind
 * a LID: a webhook carries the LID with the phone JID beside it, the reverse, or the LID alone
 * (reference/evolution-api.md). A conversa is keyed by the identifier it was opened with (the phone JID when it
 * was known); this store maps every other identifier seen together with it ({@code empresa|instance|jid}) to that
 * one. The links are never forgotten: like the conversas, they are the customer's identity.
 */
public final class JidAliases {

    private static final String PHONE_SUFFIX = "@s.whatsapp.net";

    private final KeyValueStore<String, String> aliases;
    private final KeyValueStore<String, ?> conversas;

    /** @param conversas the conversa store, to find a conversa already opened under one of the identifiers */
    public JidAliases(KeyValueStore<String, String> aliases, KeyValueStore<String, ?> conversas) {
        this.aliases = aliases;
        this.conversas = conversas;
    }

    /** Which conversa a customer's identifiers belong to, and the other identifier to keep beside it. */
    public record Resolved(ConversaKey key, String alt, List<String> others) {
    }

    /**
     * Reads only; {@link #remember} stores the link once the record that carried it was processed.
     *
     * @param jid    the chat's identifier as the webhook gives it ({@code remoteJid})
     * @param altJid the other identifier, or null
     */
    public Resolved resolve(String empresaId, String instance, String jid, String altJid) {
        List<String> ids = new ArrayList<>(2);
        // the phone JID first: a new conversa is opened under it when the webhook carries it
        if (altJid != null && !altJid.equals(jid) && altJid.endsWith(PHONE_SUFFIX) && !jid.endsWith(PHONE_SUFFIX)) {
            ids.add(altJid);
            ids.add(jid);
        } else {
            ids.add(jid);
            if (altJid != null && !altJid.equals(jid)) {
                ids.add(altJid);
            }
        }
        String canonical = null;
        for (String id : ids) {
            canonical = aliases.get(aliasKey(empresaId, instance, id));
            if (canonical != null) {
                break;
            }
        }
        // with one identifier there is nothing to choose: it names the conversa whether or not it exists yet
        if (canonical == null && ids.size() > 1) {
            for (String id : ids) {
                if (conversas.get(new ConversaKey(empresaId, instance, id).storeKey()) != null) {
                    canonical = id;
                    break;
                }
            }
        }
        if (canonical == null) {
            canonical = ids.get(0);
        }
        String target = canonical;
        List<String> others = ids.stream().filter(id -> !id.equals(target)).toList();
        return new Resolved(new ConversaKey(empresaId, instance, canonical), others.isEmpty() ? null : others.get(0),
                others);
    }

    /** Links the other identifiers of {@code resolved} to its conversa, so a webhook naming only one finds it. */
    public void remember(Resolved resolved) {
        ConversaKey key = resolved.key();
        for (String other : resolved.others()) {
            String aliasKey = aliasKey(key.empresaId(), key.instance(), other);
            if (!key.customerJid().equals(aliases.get(aliasKey))) {
                aliases.put(aliasKey, key.customerJid());
            }
        }
    }

    private static String aliasKey(String empresaId, String instance, String jid) {
        return new ConversaKey(empresaId, instance, jid).storeKey();
    }
}
