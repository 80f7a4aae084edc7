package dev.chatcentral.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.chatcentral.testing.SettingDefaults;

class SettingDefaultsTest {

    @Test
    void shouldWriteEachDefaultOnlyInTheYamlBesideItsEnvironmentVariable() throws Exception {
        assertThat(SettingDefaults.writtenTwice("dev.chatcentral", "evolution-simulator.yml")).isEmpty();
    }
}
