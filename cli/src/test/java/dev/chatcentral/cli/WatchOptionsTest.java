package dev.chatcentral.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

class WatchOptionsTest {

    @Test
    void shouldParseUrlTokenAndRepeatedChannels() throws Exception {
        WatchOptions options = WatchOptions.parse("--url", "ws://gateway:9000/ws", "--token", "abc.def.ghi",
                "--channel", "empresa:emp-1", "--channel=presence:emp-1");

        assertThat(options.url()).isEqualTo(URI.create("ws://gateway:9000/ws"));
        assertThat(options.token()).isEqualTo("abc.def.ghi");
        assertThat(options.channels()).containsExactly("empresa:emp-1", "presence:emp-1");
    }

    @Test
    void shouldDefaultToTheLocalGateway() throws Exception {
        WatchOptions options = WatchOptions.parse("--token", "t", "--channel", "empresa:emp-1");

        assertThat(options.url()).isEqualTo(URI.create("ws://localhost:8080/ws"));
    }

    @Test
    void shouldPutTheTokenIntoTheQuery() throws Exception {
        assertThat(WatchOptions.parse("--token", "a.b+c", "--channel", "empresa:e").connectUri())
                .hasToString("ws://localhost:8080/ws?token=a.b%2Bc");
        assertThat(WatchOptions.parse("--url", "ws://h/ws?v=1", "--token", "t", "--channel", "empresa:e")
                .connectUri()).hasToString("ws://h/ws?v=1&token=t");
    }

    @Test
    void shouldRequireTokenAndChannel() {
        assertThatThrownBy(() -> WatchOptions.parse("--channel", "empresa:emp-1"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessageContaining("--token is required");
        assertThatThrownBy(() -> WatchOptions.parse("--token", "t"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessageContaining("--channel is required");
    }

    @Test
    void shouldRejectMalformedArguments() {
        assertThatThrownBy(() -> WatchOptions.parse("--token"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessage("--token needs a value");
        assertThatThrownBy(() -> WatchOptions.parse("--token", "t", "--channel", "emp-1"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessageContaining("kind:id");
        assertThatThrownBy(() -> WatchOptions.parse("--url", "http://localhost:8080/ws", "--token", "t"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessageContaining("ws://");
        assertThatThrownBy(() -> WatchOptions.parse("--verbose"))
                .isInstanceOf(WatchOptions.UsageException.class).hasMessage("unknown argument: --verbose");
    }

    @Test
    void shouldAnswerHelpWithUsage() {
        assertThatThrownBy(() -> WatchOptions.parse("--token", "t", "--help"))
                .isInstanceOf(WatchOptions.HelpRequested.class).hasMessageContaining("usage: watch");
    }
}
