package dev.chatcentral.localstack.tenant;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;

import dev.chatcentral.localstack.StackException;
import dev.chatcentral.schemas.serde.Json;

/**
 * The people the console offers on its sign-in page in the dev profile: two atendentes and a supervisor of each demo
 * empresa, so two browsers can work one empresa's queue while a third watches it.
 */
public final class DemoUsers {

    /** One demo user of an empresa. */
    public record DemoUser(DemoEmpresa empresa, String userId, String name, String role) {
    }

    private DemoUsers() {
    }

    public static List<DemoUser> of(List<DemoEmpresa> empresas) {
        List<DemoUser> users = new ArrayList<>();
        for (DemoEmpresa empresa : empresas) {
            users.add(new DemoUser(empresa, "ana-" + empresa.id(), "Ana", "atendente"));
            users.add(new DemoUser(empresa, "bruno-" + empresa.id(), "Bruno", "atendente"));
            users.add(new DemoUser(empresa, DevTokens.supervisorId(empresa), "Supervisão " + empresa.nome(),
                    DevTokens.ROLE));
        }
        return users;
    }

    /**
     * The console's {@code demoUsers}: a JSON array of {@code {name, role, empresaId, userId, token}}, each token
     * signed with the stack's agent secret and valid for {@link DevTokens#LIFETIME} from {@code now}.
     */
    public static String consoleJson(List<DemoUser> users, String agentJwtSecret, Instant now) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (DemoUser user : users) {
            array.addObject()
                    .put("name", user.name() + " (" + user.empresa().nome() + ")")
                    .put("role", user.role())
                    .put("empresaId", user.empresa().id())
                    .put("userId", user.userId())
                    .put("token", DevTokens.token(user.empresa(), user.userId(), user.name(), user.role(),
                            agentJwtSecret, now));
        }
        return Json.MAPPER.writeValueAsString(array);
    }

    /** Writes the console's sign-in choices where the gateway serves them from ({@code CONSOLE_DEMO_USERS_FILE}). */
    public static Path writeConsoleFile(Path configDir, String agentJwtSecret, Instant now) {
        Path file = configDir.resolve("console-demo-users.json");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, consoleJson(of(DemoEmpresa.ALL), agentJwtSecret, now));
        } catch (IOException e) {
            throw new StackException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
