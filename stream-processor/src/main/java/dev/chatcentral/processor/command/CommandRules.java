package dev.chatcentral.processor.command;

import static dev.chatcentral.processor.command.RejectReason.ALREADY_ASSIGNED;
import static dev.chatcentral.processor.command.RejectReason.FORBIDDEN;
import static dev.chatcentral.processor.command.RejectReason.INVALID_COMMAND;
import static dev.chatcentral.processor.command.RejectReason.INVALID_STATE;
import static dev.chatcentral.processor.command.RejectReason.UNKNOWN_ATENDENTE;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;

/**
 * Who may do what to a conversa, and what it becomes (docs/commands.md). Pure functions: each refusal throws
 * {@link CommandRefusedException} with its reason, so every rule is testable without Kafka.
 */
public final class CommandRules {

    /** Longest reply, in code points, as the gateway checks it. */
    public static final int MAX_TEXT = 4096;
    /** Longest reaction, in code points: an emoji with its modifiers and joiners fits many times over. */
    public static final int MAX_EMOJI = 64;
    private static final Set<String> PRIVILEGED = Set.of("supervisor", "admin");
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

    private CommandRules() {
    }

    /** Whether {@code userId} can name an atendente: the rules of a token's {@code sub}, which becomes a channel id. */
    public static boolean validUserId(String userId) {
        return userId != null && !userId.isBlank() && userId.indexOf(':') < 0;
    }

    /** A reaction's text as WhatsApp keeps one: at most {@link #MAX_EMOJI} code points, no control characters. */
    public static boolean isReaction(String emoji) {
        return emoji.codePointCount(0, emoji.length()) <= MAX_EMOJI && emoji.chars().noneMatch(Character::isISOControl);
    }

    public static boolean validCommandId(String commandId) {
        return commandId != null && COMMAND_ID.matcher(commandId).matches();
    }

    /**
     * The checks of shape the gateway makes too: the processor does not rely on every producer of
     * {@code chat.commands} making them.
     *
     * @param empresaId the record's key, the partition the command was processed in
     */
    public static void validate(AgentCommand command, String empresaId) {
        if (!validCommandId(command.commandId())) {
            throw invalid("commandId must be 1 to 64 characters of A-Z a-z 0-9 _ . : -");
        }
        if (!empresaId.equals(command.empresaId())) {
            throw invalid("the command's empresaId " + command.empresaId() + " is not its record key " + empresaId);
        }
        if (command.type() == null || !AgentCommand.TYPES.contains(command.type())) {
            throw invalid("type must be one of " + String.join(", ", AgentCommand.TYPES));
        }
        if (command.conversaId() == null || command.conversaId().isBlank()) {
            throw invalid(command.type() + " needs a conversaId");
        }
        switch (command.type()) {
            case AgentCommand.TRANSFER -> {
                if (command.targetAtendenteId() != null && !validUserId(command.targetAtendenteId())) {
                    throw invalid("targetAtendenteId must be null or a user id: not blank, without ':'");
                }
            }
            case AgentCommand.SEND_MESSAGE -> {
                String text = command.text();
                if (text == null || text.isBlank()) {
                    throw invalid("send_message needs a text that is not blank");
                }
                if (text.codePointCount(0, text.length()) > MAX_TEXT) {
                    throw invalid("text must be at most " + MAX_TEXT + " characters");
                }
            }
            case AgentCommand.RESEND -> requireMensagemId(command, "the mensagem that failed");
            case AgentCommand.REACT -> {
                requireMensagemId(command, "the mensagem to react to");
                String emoji = command.emoji();
                if (emoji == null) {
                    throw invalid("react needs an emoji, or an empty one to remove the reaction");
                }
                if (!isReaction(emoji)) {
                    throw invalid("emoji must be at most " + MAX_EMOJI + " characters, without control characters");
                }
            }
            case AgentCommand.DELETE -> requireMensagemId(command, "the mensagem to delete");
            default -> {
            }
        }
    }

    public static boolean privileged(AgentCommand command) {
        return command.roles() != null && command.roles().stream().anyMatch(PRIVILEGED::contains);
    }

    /** The caller may act on a conversa assigned to them; supervisors and admins on any of their empresa. */
    public static void requireMayAct(Conversa conversa, AgentCommand command) {
        if (!command.userId().equals(conversa.atendenteId()) && !privileged(command)) {
            throw new CommandRefusedException(FORBIDDEN, conversa.atendenteId() == null
                    ? "conversa " + conversa.conversaId() + " is assigned to nobody: assign it first"
                    : "conversa " + conversa.conversaId() + " is assigned to another atendente");
        }
    }

    /**
     * To another atendente (served by them) or, with a null target, back to the queue (waiting, unassigned).
     *
     * @param targetKnown whether the target was seen in the caller's empresa (irrelevant for a null target)
     */
    public static Conversa transfer(Conversa current, AgentCommand command, boolean targetKnown, Instant at) {
        requireMayAct(current, command);
        requireOpen(current);
        String target = command.targetAtendenteId();
        if (target != null && !targetKnown) {
            throw new CommandRefusedException(UNKNOWN_ATENDENTE,
                    "atendente " + target + " is not known in this empresa");
        }
        if (Objects.equals(target, current.atendenteId())) {
            throw new CommandRefusedException(INVALID_STATE, target == null
                    ? "conversa " + current.conversaId() + " is already in the queue"
                    : "conversa " + current.conversaId() + " is already assigned to " + target);
        }
        return target == null ? toQueue(current, at) : with(current, ConversaStatus.EM_ATENDIMENTO, target, at);
    }

    /** Back to the queue, waiting and unassigned: by a transfer, or when its atendente stayed offline too long. */
    public static Conversa toQueue(Conversa current, Instant at) {
        requireOpen(current);
        if (current.atendenteId() == null) {
            throw new CommandRefusedException(INVALID_STATE,
                    "conversa " + current.conversaId() + " is already in the queue");
        }
        return with(current, ConversaStatus.AGUARDANDO, null, at);
    }

    /** Anyone of the empresa takes a waiting conversa; whoever comes second finds it taken. */
    public static Conversa assign(Conversa current, AgentCommand command, Instant at) {
        return assign(current, command.userId(), at);
    }

    /** {@code userId} takes a waiting conversa, by their own command or handed it by automatic assignment. */
    public static Conversa assign(Conversa current, String userId, Instant at) {
        requireOpen(current);
        if (current.atendenteId() != null) {
            throw new CommandRefusedException(ALREADY_ASSIGNED, userId.equals(current.atendenteId())
                    ? "conversa " + current.conversaId() + " is already assigned to you"
                    : "conversa " + current.conversaId() + " is already assigned to another atendente");
        }
        return with(current, ConversaStatus.EM_ATENDIMENTO, userId, at);
    }

    /** Closed, keeping its atendente: the record says who served it, and a reopen gives it back to them. */
    public static Conversa close(Conversa current, AgentCommand command, Instant at) {
        requireMayAct(current, command);
        requireOpen(current);
        return with(current, ConversaStatus.ENCERRADA, current.atendenteId(), at);
    }

    /**
     * Back to where it stood before it was closed: served by the atendente it kept, or waiting when it had none.
     * (A customer writing into a closed conversa instead puts it back in the queue: see ConversaRules.)
     */
    public static Conversa reopen(Conversa current, AgentCommand command, Instant at) {
        requireMayAct(current, command);
        if (current.status() != ConversaStatus.ENCERRADA) {
            throw new CommandRefusedException(INVALID_STATE,
                    "conversa " + current.conversaId() + " is not closed");
        }
        return current.atendenteId() == null ? with(current, ConversaStatus.AGUARDANDO, null, at)
                : with(current, ConversaStatus.EM_ATENDIMENTO, current.atendenteId(), at);
    }

    /** Replies (and resends) go out on open conversas of the caller; a closed one must be reopened first. */
    public static void requireMaySend(Conversa conversa, AgentCommand command) {
        requireMayAct(conversa, command);
        requireOpen(conversa);
    }

    private static void requireOpen(Conversa conversa) {
        if (conversa.status() == ConversaStatus.ENCERRADA) {
            throw new CommandRefusedException(INVALID_STATE,
                    "conversa " + conversa.conversaId() + " is closed: reopen it first");
        }
    }

    private static Conversa with(Conversa c, ConversaStatus status, String atendenteId, Instant at) {
        return new Conversa(c.conversaId(), c.empresaId(), c.instance(), c.remoteJid(), c.remoteJidAlt(),
                c.contactName(), status, atendenteId, c.unreadCount(), c.lastMensagemPreview(), c.lastMensagemAt(),
                c.version() + 1, c.createdAt(), at);
    }

    private static void requireMensagemId(AgentCommand command, String which) {
        if (command.mensagemId() == null || command.mensagemId().isBlank()) {
            throw invalid(command.type() + " needs the mensagemId of " + which);
        }
    }

    private static CommandRefusedException invalid(String message) {
        return new CommandRefusedException(INVALID_COMMAND, message);
    }
}
