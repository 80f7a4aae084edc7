package dev.chatcentral.localstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chatcentral.localstack.proxy.TcpProxy;

class ControlServerTest {

    @Test
    void shouldTakeWholeSecondsWithinAnHour() {
        assertThat(ControlServer.parseSeconds("30")).isEqualTo(30);
        assertThat(ControlServer.parseSeconds("1")).isEqualTo(1);
        assertThat(ControlServer.parseSeconds("3600")).isEqualTo(3600);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "3601", "9999", "-5", "1.5", "30s", "99999999999999999999", "3\u00000", " 30"})
    void shouldRefuseAnythingElseNamingIt(String text) {
        assertThatThrownBy(() -> ControlServer.parseSeconds(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole seconds, 1 to 3600").hasMessageNotContaining("\u0000");
    }

    @Test
    void shouldRefuseNoValue() {
        assertThatThrownBy(() -> ControlServer.parseSeconds(null)).hasMessageContaining("not nothing");
    }

    @Test
    void shouldPauseAndResumeThePostgresProxyOverHttpAndRefuseAnythingElse() throws Exception {
        TcpProxy postgres = TcpProxy.start("postgres", 0, List.of(new TcpProxy.Backend("postgres",
                new InetSocketAddress("127.0.0.1", 1), null)), Duration.ofSeconds(1));
        ControlServer control = ControlServer.start(0, postgres);
        try {
            assertThat(call(control, "POST", "/postgres/pause?seconds=30").statusCode()).isEqualTo(200);
            assertThat(postgres.isPaused()).isTrue();
            assertThat(call(control, "GET", "/postgres").body()).contains("unreachable");

            assertThat(call(control, "POST", "/postgres/resume").statusCode()).isEqualTo(200);
            assertThat(postgres.isPaused()).isFalse();

            assertThat(call(control, "POST", "/postgres/pause").statusCode()).isEqualTo(400);
            assertThat(call(control, "POST", "/postgres/pause?seconds=0").statusCode()).isEqualTo(400);
            assertThat(call(control, "POST", "/postgres/pause?seconds=%00").body()).contains("whole seconds");
            assertThat(call(control, "POST", "/postgres/pause?seconds=" + "9".repeat(5000)).statusCode())
                    .isEqualTo(400);
            assertThat(call(control, "GET", "/postgres/pause?seconds=30").statusCode()).isEqualTo(405);
            assertThat(call(control, "POST", "/postgres").statusCode()).isEqualTo(405);
            assertThat(call(control, "POST", "/kafka/pause?seconds=3").statusCode()).isEqualTo(404);
            assertThat(postgres.isPaused()).isFalse();
        } finally {
            control.stop();
            postgres.close();
        }
    }

    private static HttpResponse<String> call(ControlServer control, String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + control.port() + path)).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
