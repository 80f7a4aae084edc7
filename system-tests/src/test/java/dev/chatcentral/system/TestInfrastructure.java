package dev.chatcentral.system;

import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.chatcentral.testing.TestDatabase;
import dev.chatcentral.testing.TestKafka;

/**
 * Where the system tests' broker and database come from: by default an embedded KRaft broker in this JVM and a
 * throwaway database on the machine's PostgreSQL; with {@code -Ptestcontainers}, which sets
 * {@code chatcentral.test.infrastructure=testcontainers}, the implementation that profile compiles
 * (src/testcontainers: an {@code apache/kafka} and a {@code postgres} container). The choice is the property's,
 * not the class path's, so classes a profiled build left in target/ change nothing in a build without it.
 */
interface TestInfrastructure {

    TestKafka startKafka();

    TestDatabase createDatabase();

    /** Why this infrastructure cannot run on this machine (no Docker engine, say); empty when it can. */
    Optional<String> unavailable();

    /** The infrastructure {@code chatcentral.test.infrastructure} names: {@code embedded} (unset) or {@code testcontainers}. */
    static TestInfrastructure chosen() {
        return Chosen.INSTANCE;
    }

    /** Made once: a container infrastructure keeps its PostgreSQL container for the whole run. */
    final class Chosen {

        static final String PROPERTY = "chatcentral.test.infrastructure";
        static final TestInfrastructure INSTANCE = of(System.getProperty(PROPERTY, "embedded"));

        private Chosen() {
        }

        static TestInfrastructure of(String name) {
            return switch (name) {
                case "embedded" -> new Embedded();
                case "testcontainers" -> containers();
                default -> throw new IllegalArgumentException(PROPERTY + " is 'embedded' or 'testcontainers', not '"
                        + name + "'");
            };
        }

        /** Compiled only by -Ptestcontainers, which brings Testcontainers onto the test class path. */
        private static TestInfrastructure containers() {
            try {
                return (TestInfrastructure) Class.forName("dev.chatcentral.system.ContainerInfrastructure")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException(PROPERTY + "=testcontainers needs the build's -Ptestcontainers"
                        + " (src/testcontainers and Testcontainers on the test class path)", e);
            }
        }
    }

    final class Embedded implements TestInfrastructure {

        @Override
        public TestKafka startKafka() {
            return TestKafka.start();
        }

        @Override
        public TestDatabase createDatabase() {
            return TestDatabase.create();
        }

        @Override
        public Optional<String> unavailable() {
            return Optional.empty();
        }
    }

    /**
     * Skips a test class whose infrastructure cannot run here, before its {@code @BeforeAll}: with
     * {@code -Ptestcontainers} on a machine without Docker, the suite is skipped rather than failed.
     */
    final class Available implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return chosen().unavailable().map(ConditionEvaluationResult::disabled)
                    .orElseGet(() -> ConditionEvaluationResult.enabled("the tests' broker and database can run"));
        }
    }
}
