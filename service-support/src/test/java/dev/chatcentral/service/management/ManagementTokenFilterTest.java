package dev.chatcentral.service.management;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ManagementTokenFilterTest {

    private static final String TOKEN = "a-management-token-of-more-than-32-bytes";

    private final ManagementTokenFilter filter = new ManagementTokenFilter(TOKEN,
            Set.of("/actuator/health/liveness", "/actuator/health/readiness"));

    private MockHttpServletResponse call(String path, String authorization, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        request.setRemoteAddr(address);
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void shouldLetTheProbesThroughWithoutAToken() throws Exception {
        assertThat(call("/actuator/health/liveness", null, "10.0.0.1").getStatus()).isEqualTo(200);
        assertThat(call("/actuator/health/readiness", null, "10.0.0.1").getStatus()).isEqualTo(200);
    }

    @Test
    void shouldRefuseEverythingElseWithoutTheToken() throws Exception {
        MockHttpServletResponse refused = call("/actuator/health", null, "10.0.0.2");

        assertThat(refused.getStatus()).isEqualTo(401);
        assertThat(refused.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(call("/actuator/prometheus", "Bearer wrong", "10.0.0.2").getStatus()).isEqualTo(401);
        assertThat(call("/admin/empresas/x", "Bearer " + TOKEN, "10.0.0.2").getStatus()).isEqualTo(200);
    }

    @Test
    void shouldRefuseAnAddressThatKeepsPresentingWrongTokensEvenWithTheRightOneForAWhile() throws Exception {
        for (int i = 0; i < ManagementTokenFilter.MAX_FAILURES; i++) {
            assertThat(call("/actuator/prometheus", "Bearer guess-" + i, "10.0.0.3").getStatus()).isEqualTo(401);
        }

        MockHttpServletResponse blocked = call("/actuator/prometheus", "Bearer " + TOKEN, "10.0.0.3");
        assertThat(blocked.getStatus()).isEqualTo(429);
        assertThat(blocked.getHeader("Retry-After")).isEqualTo("60");
        assertThat(call("/actuator/prometheus", "Bearer " + TOKEN, "10.0.0.4").getStatus()).isEqualTo(200);
        assertThat(call("/actuator/health/readiness", null, "10.0.0.3").getStatus()).isEqualTo(200);
    }

    @Test
    void shouldRefuseEveryCallButTheProbesWhenNoTokenIsConfigured() throws Exception {
        ManagementTokenFilter unset = new ManagementTokenFilter("", Set.of("/actuator/health/liveness"));
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prometheus");
        request.addHeader("Authorization", "Bearer ");
        MockHttpServletResponse response = new MockHttpServletResponse();

        unset.doFilter(request, response, new MockFilterChain());

        assertThat(response.getStatus()).isEqualTo(401);
        assertThat(response.getContentAsString()).contains("the management token (ADMIN_API_TOKEN) is not set");
    }
}
