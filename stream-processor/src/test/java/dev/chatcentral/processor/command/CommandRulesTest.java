package dev.chatcentral.processor.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chatcentral.schemas.command.AgentCommand;
import dev.chatcentral.schemas.conversa.Conversa;
import dev.chatcentral.schemas.conversa.ConversaStatus;

/** The rules of commands without Kafka: roles, where a reply goes, and the state each command leaves. */
class CommandRulesTest {

    private static final Instant AT = Instant.parse("2025-10-21T14:41:00Z");

    private static Conversa conversa(String remoteJid, String alt, ConversaStatus status, String atendenteId) {
        return new Conversa("c-1", "emp-1", "loja-01", remoteJid, alt, "Maria", status, atendenteId, 2, "Oi", AT, 4,
                AT, AT);
    }

    private static AgentCommand by(String userId, List<String> roles, String type) {
        return new AgentCommand("cmd-1", "emp-1", userId, roles, type, "c-1", null, null, null, null, AT);
    }

    @Test
    void shouldTreatSupervisorAndAdminAsPrivilegedButNotAtendenteOrMissingRoles() {
        assertThat(CommandRules.privileged(by("u", List.of("supervisor"), AgentCommand.CLOSE))).isTrue();
        assertThat(CommandRules.privileged(by("u", List.of("atendente", "admin"), AgentCommand.CLOSE))).isTrue();
        assertThat(CommandRules.privileged(by("u", List.of("atendente"), AgentCommand.CLOSE))).isFalse();
        assertThat(CommandRules.privileged(by("u", null, AgentCommand.CLOSE))).isFalse();
    }

    @Test
    void shouldSendToPhoneDigitsWhenKnownAndToTheFullJidOtherwise() {
        assertThat(Replies.number(conversa("5511988887777@s.whatsapp.net", null, ConversaStatus.AGUARDANDO, null)))
                .isEqualTo("5511988887777");
        assertThat(Replies.number(conversa("123456789012345@lid", "5511988887777@s.whatsapp.net",
                ConversaStatus.AGUARDANDO, null))).isEqualTo("5511988887777");
        assertThat(Replies.number(conversa("123456789012345@lid", null, ConversaStatus.AGUARDANDO, null)))
                .isEqualTo("123456789012345@lid");
        assertThat(Replies.number(conversa("120363025246125486@g.us", null, ConversaStatus.AGUARDANDO, null)))
                .isEqualTo("120363025246125486@g.us");
    }

    @Test
    void shouldKeepEverythingButStatusAtendenteVersionAndUpdatedAtWhenAssigned() {
        Conversa waiting = conversa("5511988887777@s.whatsapp.net", null, ConversaStatus.AGUARDANDO, null);

        Conversa assigned = CommandRules.assign(waiting, by("ana", List.of("atendente"), AgentCommand.ASSIGN),
                AT.plusSeconds(5));

        assertThat(assigned).isEqualTo(new Conversa("c-1", "emp-1", "loja-01", "5511988887777@s.whatsapp.net", null,
                "Maria", ConversaStatus.EM_ATENDIMENTO, "ana", 2, "Oi", AT, 5, AT, AT.plusSeconds(5)));
    }

    @Test
    void shouldRefuseAssignOfConversaAlreadyAssignedToTheCallerToo() {
        Conversa hers = conversa("5511988887777@s.whatsapp.net", null, ConversaStatus.EM_ATENDIMENTO, "ana");

        assertThatThrownBy(() -> CommandRules.assign(hers, by("ana", List.of("atendente"), AgentCommand.ASSIGN), AT))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.ALREADY_ASSIGNED));
    }

    @Test
    void shouldLetAdminCloseAndReopenAConversaOfAnotherAtendente() {
        Conversa hers = conversa("5511988887777@s.whatsapp.net", null, ConversaStatus.EM_ATENDIMENTO, "ana");
        AgentCommand admin = by("root", List.of("admin"), AgentCommand.CLOSE);

        Conversa closed = CommandRules.close(hers, admin, AT);
        Conversa reopened = CommandRules.reopen(closed, admin, AT);

        assertThat(closed.status()).isEqualTo(ConversaStatus.ENCERRADA);
        assertThat(closed.atendenteId()).isEqualTo("ana");
        assertThat(reopened.status()).isEqualTo(ConversaStatus.EM_ATENDIMENTO);
        assertThat(reopened.atendenteId()).isEqualTo("ana");
        assertThat(reopened.version()).isEqualTo(6);
    }

    @Test
    void shouldRefuseTargetThatCannotBeAUserId() {
        AgentCommand colon = new AgentCommand("cmd-1", "emp-1", "ana", List.of("atendente"), AgentCommand.TRANSFER,
                "c-1", "atendente:bia", null, null, null, AT);

        assertThatThrownBy(() -> CommandRules.validate(colon, "emp-1"))
                .isInstanceOfSatisfying(CommandRefusedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_COMMAND));
    }
}
