package dev.chatcentral.schemas.command;

/**
 * Payload of a {@code command_rejected} event, sent on the issuer's {@code atendente:} channel.
 *
 * @param reason a code ({@code not_found}, {@code forbidden}, {@code already_assigned}, {@code invalid_state},
 *               {@code unknown_atendente}, {@code invalid_command}) the client can act on
 * @param message the reason in words, for logs and a toast
 */
public record CommandRejectedData(String commandId, String type, String conversaId, String reason, String message) {
}
