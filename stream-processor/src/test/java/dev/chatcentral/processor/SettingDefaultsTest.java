package dev.chatcentral.processor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.testing.SettingDefaults;

class SettingDefaultsTest {

    @Test
    void shouldWriteEachDefaultOnlyInTheYamlBesideItsEnvironmentVariable() throws Exception {
        assertThat(SettingDefaults.writtenTwice("dev.chatcentral",
                "stream-processor.yml", "stream-processor-dev.yml", "dev/chatcentral/service/kafka.yml",
                "dev/chatcentral/dispatcher/settings.yml")).isEmpty();
    }
}
