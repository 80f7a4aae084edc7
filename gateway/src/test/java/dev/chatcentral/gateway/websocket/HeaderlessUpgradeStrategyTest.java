package dev.chatcentral.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

class HeaderlessUpgradeStrategyTest {

    @Test
    void theContainerSeesNoTokenQueryAuthorizationOrCookie() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
        request.setQueryString("token=secret");
        request.addParameter("token", "secret");
        request.addHeader("Authorization", "Bearer secret");
        request.addHeader("Cookie", "a=b");
        request.addHeader("Sec-WebSocket-Protocol", "chatcentral.v1, bearer.secret");
        request.addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");

        HeaderlessUpgradeStrategy.WithoutCredentials shown = new HeaderlessUpgradeStrategy.WithoutCredentials(request);

        assertThat(shown.getQueryString()).isNull();
        assertThat(shown.getParameter("token")).isNull();
        assertThat(shown.getParameterMap()).isEmpty();
        assertThat(shown.getHeader("authorization")).isNull();
        assertThat(Collections.list(shown.getHeaders("Cookie"))).isEmpty();
        assertThat(Collections.list(shown.getHeaderNames()))
                .containsExactlyInAnyOrder("Sec-WebSocket-Protocol", "Sec-WebSocket-Key");
        assertThat(shown.getHeader("Sec-WebSocket-Protocol")).isEqualTo("chatcentral.v1");
        assertThat(Collections.list(shown.getHeaders("sec-websocket-protocol"))).containsExactly("chatcentral.v1");
        assertThat(shown.getHeader("Sec-WebSocket-Key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
    }

    @Test
    void aProtocolHeaderOfOnlyATokenIsDropped() {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/ws");
        request.addHeader("Sec-WebSocket-Protocol", "bearer.secret");

        assertThat(Collections.list(new HeaderlessUpgradeStrategy.WithoutCredentials(request)
                .getHeaders("Sec-WebSocket-Protocol"))).isEmpty();
    }
}
