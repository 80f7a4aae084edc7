package dev.chatcentral.dispatcher;

import java.util.ArrayList;
import java.util.List;

import dev.chatcentral.schemas.outbound.OutboundMessage;

/**
 * Why a {@code chat.outbound} record cannot be sent, by kind: a reply needs a number and a text, a reaction the key
 * of its target and an emoji (empty removes the reaction, at most {@value #MAX_REACTION} characters), a deletion the
 * key of its target. No field may hold a NUL (PostgreSQL cannot store it, Evolution would not take it), and a key's
 * parts are bounded.
 */
final class OutboundValidation {

    static final int MAX_REACTION = 64;
    static final int MAX_KEY_PART = 256;
    private static final int MAX_SHOWN = 40;

    private OutboundValidation() {
    }

    /** Why the message cannot be sent, or null when it can. */
    static String problem(OutboundMessage message) {
        if (message == null) {
            return "the record cannot be read as an OutboundMessage";
        }
        String kind = message.effectiveKind();
        String noun = switch (kind) {
            case OutboundMessage.REPLY -> "reply";
            case OutboundMessage.REACTION -> "reaction";
            case OutboundMessage.DELETE -> "deletion";
            default -> null;
        };
        if (noun == null) {
            return "invalid outbound message: unknown kind \"" + shown(kind) + "\"";
        }
        List<String> problems = new ArrayList<>();
        missing(problems, "commandId", message.commandId());
        missing(problems, "empresaId", message.empresaId());
        missing(problems, "instance", message.instance());
        switch (kind) {
            case OutboundMessage.REPLY -> {
                missing(problems, "number", message.number());
                missing(problems, "text", message.text());
            }
            case OutboundMessage.REACTION -> {
                target(problems, message.target());
                if (message.text() == null) {
                    problems.add("missing text (the emoji; empty to remove the reaction)");
                } else if (message.text().codePointCount(0, message.text().length()) > MAX_REACTION) {
                    problems.add("text longer than " + MAX_REACTION + " characters");
                }
            }
            default -> target(problems, message.target());
        }
        if (hasNul(message)) {
            problems.add("a field holds a NUL character");
        }
        return problems.isEmpty() ? null : "invalid " + noun + ": " + String.join(", ", problems);
    }

    /** Whether a result can be published for the message: it names its command and empresa. */
    static boolean answerable(OutboundMessage message) {
        return message != null && hasText(message.commandId()) && hasText(message.empresaId());
    }

    private static void target(List<String> problems, OutboundMessage.TargetKey target) {
        if (target == null) {
            problems.add("missing target");
            return;
        }
        missing(problems, "target.remoteJid", target.remoteJid());
        missing(problems, "target.id", target.id());
        for (String part : new String[] {target.remoteJid(), target.id(), target.participant()}) {
            if (part != null && part.length() > MAX_KEY_PART) {
                problems.add("target key part longer than " + MAX_KEY_PART + " characters");
                return;
            }
        }
    }

    private static void missing(List<String> problems, String name, String value) {
        if (!hasText(value)) {
            problems.add("missing " + name);
        }
    }

    private static boolean hasNul(OutboundMessage message) {
        OutboundMessage.TargetKey target = message.target();
        for (String field : new String[] {message.commandId(), message.userId(), message.mensagemId(),
                message.conversaId(), message.empresaId(), message.instance(), message.number(), message.text(),
                message.quotedKeyId(), message.quotedText(), target == null ? null : target.remoteJid(),
                target == null ? null : target.id(), target == null ? null : target.participant()}) {
            if (field != null && field.indexOf('\0') >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasText(String value) {
        return value != null && !value.isBlank();
    }

    private static String shown(String value) {
        String visible = value.replace('\0', '?');
        return visible.length() <= MAX_SHOWN ? visible : visible.substring(0, MAX_SHOWN) + "...";
    }
}
