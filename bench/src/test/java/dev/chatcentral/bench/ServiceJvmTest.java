package dev.chatcentral.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ServiceJvmTest {

    private static final String HARNESS_HOME = System.getProperty("java.home");

    @Test
    void shouldRunServicesOnTheHarnessJvmWithoutFlagsWhenNothingIsSet() {
        ServiceJvm jvm = ServiceJvm.of(Map.of());

        assertThat(jvm.home()).isEqualTo(Path.of(HARNESS_HOME));
        assertThat(jvm.options()).isEmpty();
        assertThat(jvm.java()).endsWith("/bin/java");
    }

    @Test
    void shouldSplitOptionsOnAnyWhitespace() {
        ServiceJvm jvm = ServiceJvm.of(Map.of(ServiceJvm.HOME_VARIABLE, " " + HARNESS_HOME + " ",
                ServiceJvm.OPTIONS_VARIABLE, "  -XX:+UseCompactObjectHeaders\t -Xss512k \n"));

        assertThat(jvm.options()).containsExactly("-XX:+UseCompactObjectHeaders", "-Xss512k");
    }

    @Test
    void shouldTreatBlankSettingsAsUnset() {
        ServiceJvm jvm = ServiceJvm.of(Map.of(ServiceJvm.HOME_VARIABLE, "  ", ServiceJvm.OPTIONS_VARIABLE, " "));

        assertThat(jvm.home()).isEqualTo(Path.of(HARNESS_HOME));
        assertThat(jvm.options()).isEmpty();
    }

    @Test
    void shouldRefuseAHomeThatIsNoJdk() {
        for (String home : List.of("/nonexistent/jdk", "/tmp", "x".repeat(600_000))) {
            assertThatThrownBy(() -> ServiceJvm.of(Map.of(ServiceJvm.HOME_VARIABLE, home)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServiceJvm.HOME_VARIABLE)
                    .message().hasSizeLessThan(400);
        }
        assertThatThrownBy(() -> ServiceJvm.of(Map.of(ServiceJvm.HOME_VARIABLE, "/usr\0/lib")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServiceJvm.HOME_VARIABLE);
    }

    @Test
    void shouldRefuseOptionsThatAreNotJvmFlags() {
        for (String options : List.of("-Xmx1g evil.jar", "-Xmx1g\0", "-X".repeat(3_000), "--add-opens=a -jar x")) {
            assertThatThrownBy(() -> ServiceJvm.of(Map.of(ServiceJvm.OPTIONS_VARIABLE, options)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(ServiceJvm.OPTIONS_VARIABLE)
                    .message().hasSizeLessThan(400);
        }
    }
}
