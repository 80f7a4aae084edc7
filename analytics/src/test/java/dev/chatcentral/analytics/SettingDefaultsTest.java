package dev.chatcentral.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.testing.SettingDefaults;

class SettingDefaultsTest {

    @Test
    void shouldWriteEachDefaultOnlyInTheYamlBesideItsEnvironmentVariable() throws Exception {
        assertThat(SettingDefaults.writtenTwice("dev.chatcentral", "analytics.yml", "analytics-dev.yml",
                "dev/chatcentral/service/kafka.yml")).isEmpty();
    }
}
