package dev.chatcentral.cli;

import java.io.PrintStream;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints each complete frame from the gateway: events as one compact JSON line on stdout (so the output can be
 * piped into jq or a file), everything about the connection itself on stderr.
 */
final class FramePrinter {

    /** Frames about the connection, not events of a channel. */
    static final Set<String> CONTROL_TYPES = Set.of("connected", "subscribed", "unsubscribed", "error", "pong");

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final PrintStream out;
    private final PrintStream err;

    FramePrinter(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    void print(String frame) {
        JsonNode json;
        try {
            json = MAPPER.readTree(frame);
        } catch (JacksonException e) {
            err.println("watch: frame is not JSON, ignored: " + abbreviate(frame));
            return;
        }
        if (json == null || !json.isObject()) {
            err.println("watch: frame is not a JSON object, ignored: " + abbreviate(frame));
            return;
        }
        String line = MAPPER.writeValueAsString(json);
        String type = json.path("type").asString("");
        if (CONTROL_TYPES.contains(type)) {
            err.println(line);
        } else {
            out.println(line);
            out.flush();
        }
    }

    private static String abbreviate(String frame) {
        return frame.length() <= 200 ? frame : frame.substring(0, 200) + "...";
    }
}
