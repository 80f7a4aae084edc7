package dev.chatcentral.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class FramePrinterTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FramePrinter printer = new FramePrinter(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    void shouldPrintEventAsOneJsonLineOnStdout() {
        printer.print("""
                {"type": "message_notification",
                 "channel": "empresa:emp-1", "id": "e-1",
                 "data": {"text": "Oi, vocês entregam hoje?"}, "position": 42, "ts": 1761057639000}
                """);

        assertThat(stdout()).isEqualTo("{\"type\":\"message_notification\",\"channel\":\"empresa:emp-1\","
                + "\"id\":\"e-1\",\"data\":{\"text\":\"Oi, vocês entregam hoje?\"},\"position\":42,"
                + "\"ts\":1761057639000}\n");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void shouldPrintControlFramesOnStderr() {
        printer.print("{\"type\":\"connected\",\"sessionId\":\"s-1\"}");
        printer.print("{\"type\":\"subscribed\",\"channel\":\"empresa:emp-1\"}");
        printer.print("{\"type\":\"error\",\"code\":\"forbidden_channel\",\"message\":\"not yours\"}");

        assertThat(stdout()).isEmpty();
        assertThat(stderr().lines()).hasSize(3).first().asString().contains("connected");
    }

    @Test
    void shouldReportFramesThatAreNotJsonObjects() {
        printer.print("not json");
        printer.print("[1,2]");

        assertThat(stdout()).isEmpty();
        assertThat(stderr()).contains("frame is not JSON, ignored: not json")
                .contains("frame is not a JSON object, ignored: [1,2]");
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
