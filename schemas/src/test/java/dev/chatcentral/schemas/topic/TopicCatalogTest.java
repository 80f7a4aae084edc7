package dev.chatcentral.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class TopicCatalogTest {

    @Test
    void shouldGiveTheSpreadTopicsTheDeploymentsCountAndTheWholeReadOnesOne() {
        TopicCatalog catalog = Topics.catalog(3);

        assertThat(catalog.partitions(Topics.EVENTS)).isEqualTo(3);
        assertThat(catalog.partitions(Topics.PRESENCE)).isEqualTo(catalog.partitions(Topics.EVENTS));
        assertThat(catalog.partitions(Topics.EPHEMERAL)).isEqualTo(catalog.partitions(Topics.EVENTS));
        assertThat(catalog.partitions(Topics.EMPRESAS)).isEqualTo(1);
        assertThat(catalog.partitions(Topics.METRICS)).isEqualTo(1);
        assertThat(TopicProvisioner.newTopics(catalog, (short) 1))
                .allMatch(t -> t.numPartitions() == 3 || t.numPartitions() == 1)
                .anyMatch(t -> t.name().equals(Topics.WEBHOOKS.name()) && t.numPartitions() == 3);
    }

    @Test
    void shouldKeepTheFastLaneShortLivedAndDeletableSoNoStaleTypingLingers() {
        assertThat(Topics.EPHEMERAL.compacted()).isFalse();
        assertThat(Topics.EPHEMERAL.config()).containsEntry("retention.ms", "60000")
                .containsEntry("cleanup.policy", "delete").containsEntry("segment.ms", "300000");
        assertThat(Topics.ALL).contains(Topics.EPHEMERAL);
    }

    @Test
    void shouldKeepTheCountOfEveryDeploymentMadeBeforeTheSettingByDefault() {
        assertThat(TopicCatalog.partitionsFrom(Map.of())).isEqualTo(12);
        assertThat(TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, " "))).isEqualTo(12);
        assertThat(TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, " 48 "))).isEqualTo(48);
    }

    @Test
    void shouldRefuseCountsOutOfBoundsNamingTheSetting() {
        for (int hostile : new int[] {0, -1, 1001, 100_000, Integer.MIN_VALUE}) {
            assertThatThrownBy(() -> Topics.catalog(hostile)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("KAFKA_TOPIC_PARTITIONS must be a whole number from 1 to 1000, was " + hostile);
        }
        assertThat(Topics.catalog(1).partitions(Topics.EVENTS)).isEqualTo(1);
        assertThat(Topics.catalog(1000).partitions(Topics.EVENTS)).isEqualTo(1000);
    }

    @Test
    void shouldRefuseWhatIsNoWholeNumberQuotingItShortAndPrintable() {
        assertThatThrownBy(() -> TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, "abc")))
                .hasMessage("KAFKA_TOPIC_PARTITIONS must be a whole number from 1 to 1000, was \"abc\"");
        assertThatThrownBy(() -> TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, "1.5")))
                .hasMessageEndingWith("was \"1.5\"");
        assertThatThrownBy(() -> TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV,
                "99999999999999999999999")))
                .hasMessageEndingWith("was \"99999999999999999999...\"");
        assertThatThrownBy(() -> TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, "1\u00002")))
                .hasMessageEndingWith("was \"1?2\"");
        assertThatThrownBy(() -> TopicCatalog.partitionsFrom(Map.of(TopicCatalog.PARTITIONS_ENV, "0")))
                .hasMessageEndingWith("was 0");
    }
}
