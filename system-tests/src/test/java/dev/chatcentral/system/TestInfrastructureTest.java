package dev.chatcentral.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/** The choice of the system tests' broker and database, and the refusals of what they are given. */
class TestInfrastructureTest {

    @Test
    void theEmbeddedBrokerAndTheMachinesDatabaseUnlessAProfileSaysOtherwise() {
        assertThat(TestInfrastructure.Chosen.of("embedded")).isInstanceOf(TestInfrastructure.Embedded.class);
        assertThat(TestInfrastructure.Chosen.of("embedded").unavailable()).isEmpty();
        if (System.getProperty(TestInfrastructure.Chosen.PROPERTY) == null) {
            assertThat(TestInfrastructure.chosen()).isInstanceOf(TestInfrastructure.Embedded.class);
        }
    }

    @Test
    void anUnknownInfrastructureIsRefusedByName() {
        for (String name : new String[] {"", "docker", "TESTCONTAINERS", "embedded\u0000", "x".repeat(10_000)}) {
            assertThatThrownBy(() -> TestInfrastructure.Chosen.of(name))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("chatcentral.test.infrastructure is 'embedded' or 'testcontainers', not '");
        }
    }

    @Test
    void anExternalBrokerOrServerMustBeNamed() {
        assertThatThrownBy(() -> TestKafka.external(" ", () -> { }))
                .hasMessage("an external broker needs its bootstrap servers");
        assertThatThrownBy(() -> TestKafka.external("localhost:1", () -> { }).stopBroker())
                .hasMessage("only an embedded broker can be stopped by a test");
        for (String server : new String[] {"", "postgres://127.0.0.1:5432/", "jdbc:postgresql://127.0.0.1:5432/db"}) {
            assertThatThrownBy(() -> TestDatabase.createOn(server, "postgres", ""))
                    .hasMessage("a PostgreSQL server is jdbc:postgresql://host:port/, not " + server);
        }
    }
}
