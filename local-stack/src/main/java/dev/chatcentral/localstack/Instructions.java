package dev.chatcentral.localstack;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

import dev.chatcentral.localstack.kafka.KafkaBroker;
import dev.chatcentral.localstack.postgres.Database;
import dev.chatcentral.localstack.service.Service;
import dev.chatcentral.localstack.tenant.DemoEmpresa;
import dev.chatcentral.localstack.tenant.DevTokens;

/** What the stack prints once it is up: where everything is, the demo credentials, and commands to paste. */
final class Instructions {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Evolution's date_time: always milliseconds and a Z. */
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Instructions() {
    }

    static String render(StackLayout layout, Database database, Map<DemoEmpresa, String> secrets,
            Map<DemoEmpresa, String> tokens, String agentJwtSecret, String adminApiToken, boolean kafkaOnly,
            Instant now) {
        StringBuilder text = new StringBuilder();
        text.append("chat-central local stack is up. Data in ").append(layout.dataDir())
                .append(", logs in ").append(layout.logsDir()).append("\n\n");
        if (!kafkaOnly) {
            text.append(row("Console", "http://localhost:" + Service.GATEWAY.port()
                    + "/console/ (pick a demo atendente or supervisor)"));
            text.append(row("Gateway WebSocket", "ws://localhost:" + Service.GATEWAY.port() + "/ws"));
            text.append(row("Ingest webhooks",
                    "http://localhost:" + Service.INGEST.port() + "/webhooks/evolution/{empresaId}"));
            text.append(row("Management ports", "gateway " + Service.GATEWAY.managementPort() + ", ingest "
                    + Service.INGEST.managementPort() + ", stream-processor " + Service.streamProcessor(layout)
                    .managementPort() + ", analytics " + Service.analytics(layout).managementPort()
                    + ": /actuator/health, /actuator/prometheus, the admin API, DLQ redrive"));
            text.append(row("", "curl -H 'Authorization: Bearer " + adminApiToken + "' http://localhost:"
                    + Service.INGEST.managementPort() + "/actuator/health"));
        }
        text.append(row("Kafka", KafkaBroker.bootstrapServers()));
        text.append(row("PostgreSQL", database.jdbcUrl() + " (user " + database.user() + ")"));
        text.append('\n');
        for (Map.Entry<DemoEmpresa, String> entry : secrets.entrySet()) {
            DemoEmpresa empresa = entry.getKey();
            text.append("Empresa ").append(empresa.id()).append(" \"").append(empresa.nome())
                    .append("\" (instance ").append(empresa.instance()).append(")\n");
            text.append(row("  webhook secret", entry.getValue()));
            text.append(row("  agent JWT", tokens.get(empresa)));
            text.append(row("", "(sub " + DevTokens.supervisorId(empresa) + ", role " + DevTokens.ROLE
                    + ", valid " + DevTokens.LIFETIME.toHours() + " h)"));
        }
        DemoEmpresa first = secrets.keySet().iterator().next();
        text.append('\n');
        if (kafkaOnly) {
            text.append("No service started (--kafka-only). Run them against this stack with\n  ")
                    .append("SPRING_PROFILES_ACTIVE=dev KAFKA_BOOTSTRAP_SERVERS=").append(KafkaBroker.bootstrapServers())
                    .append(" DATABASE_URL=").append(database.jdbcUrl())
                    .append(" AGENT_JWT_SECRET=").append(agentJwtSecret).append("\n\n");
        } else {
            text.append("Post one more customer message to ").append(first.id())
                    .append(" (paste it twice: the redelivery is dropped as a duplicate):\n  ")
                    .append(curl(first, secrets.get(first), now)).append("\n\n");
            text.append("Watch ").append(first.id()).append("'s events, one JSON line each:\n  ")
                    .append(watch(layout.root(), first, tokens.get(first))).append("\n\n");
            text.append("A service that dies is restarted. Try it from another terminal:\n  ")
                    .append(kill(layout, Service.STREAM_PROCESSOR)).append("\nthis terminal reports the death and ")
                    .append("the restart; bin/watch pauses, then catches up: nothing lost, nothing twice.\n\n");
            text.append("The evolution-simulator posts demo conversations for every empresa. ");
        }
        text.append("Ctrl-C stops everything.");
        return text.toString();
    }

    /** A curl line posting a messages.upsert webhook exactly as Evolution would, with a fixed key id. */
    static String curl(DemoEmpresa empresa, String secret, Instant now) {
        String url = "http://localhost:" + Service.INGEST.port() + "/webhooks/evolution/" + empresa.id();
        byte[] keyBytes = new byte[9];
        RANDOM.nextBytes(keyBytes);
        String keyId = "3A" + HexFormat.of().withUpperCase().formatHex(keyBytes);
        String body = "{\"event\":\"messages.upsert\",\"instance\":\"" + empresa.instance() + "\","
                + "\"data\":{\"key\":{\"remoteJid\":\"5511987654321@s.whatsapp.net\",\"fromMe\":false,"
                + "\"id\":\"" + keyId + "\"},\"pushName\":\"Cliente do curl\",\"status\":\"DELIVERY_ACK\","
                + "\"message\":{\"conversation\":\"Olá! Vocês abrem amanhã?\"},\"messageType\":\"conversation\","
                + "\"messageTimestamp\":" + now.getEpochSecond() + ",\"source\":\"android\"},"
                + "\"destination\":\"" + url + "\",\"date_time\":\"" + DATE_TIME.format(now) + "\","
                + "\"sender\":\"5511999990000@s.whatsapp.net\",\"server_url\":\"http://localhost:8090\","
                + "\"apikey\":null}";
        return "curl -sS -X POST '" + url + "' -H 'Authorization: Bearer " + secret + "'"
                + " -H 'Content-Type: application/json' -d '" + body + "'";
    }

    static String watch(Path root, DemoEmpresa empresa, String token) {
        return root.resolve("bin").resolve("watch") + " --token " + token + " --channel empresa:" + empresa.id();
    }

    /** The --kill line, with the data directory when it is not the default one --kill would look in. */
    static String kill(StackLayout layout, String service) {
        String command = layout.root().resolve("bin").resolve("stack") + " --kill " + service;
        return layout.dataDir().equals(layout.root().resolve(".local")) ? command
                : StackLayout.DATA_DIR_ENV + "=" + layout.dataDir() + " " + command;
    }

    private static String row(String label, String value) {
        return String.format("%-20s %s%n", label, value);
    }
}
