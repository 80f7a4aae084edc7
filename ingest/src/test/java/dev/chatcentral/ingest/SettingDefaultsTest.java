package dev.chatcentral.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.testing.SettingDefaults;

class SettingDefaultsTest {

    @Test
    void shouldWriteEachDefaultOnlyInTheYamlBesideItsEnvironmentVariable() throws Exception {
        assertThat(SettingDefaults.writtenTwice("dev.chatcentral",
                "ingest.yml", "ingest-dev.yml", "dev/chatcentral/service/kafka.yml")).isEmpty();
    }
}
