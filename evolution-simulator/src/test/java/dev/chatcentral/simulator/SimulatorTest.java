package dev.chatcentral.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import dev.chatcentral.simulator.traffic.FakeIngest;

/**
 * A simulator shared by the test classes extending this (one Spring context, one fake ingest): targets loja-01
 * (emp-1) and loja-02 (emp-2) are configured, demo traffic is off. Each test uses instances of its own, registered
 * with {@link #register}, so that what the ingest received can be told apart by empresa.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.name=evolution-simulator",
        "chatcentral.simulator.enabled=false",
        "chatcentral.simulator.targets[0].empresa-id=emp-1",
        "chatcentral.simulator.targets[0].instance=loja-01",
        "chatcentral.simulator.targets[0].secret=secret-one",
        "chatcentral.simulator.targets[1].empresa-id=emp-2",
        "chatcentral.simulator.targets[1].instance=loja-02",
        "chatcentral.simulator.targets[1].secret=secret-two",
        "chatcentral.simulator.send-text.global-apikey=" + SimulatorHttp.GLOBAL_KEY})
public abstract class SimulatorTest {

    /** Lives as long as the test JVM, like the shared context that posts to it. */
    protected static final FakeIngest INGEST = new FakeIngest();

    @LocalServerPort
    int port;

    protected SimulatorHttp simulator;

    @DynamicPropertySource
    static void ingestUrl(DynamicPropertyRegistry registry) {
        registry.add("chatcentral.simulator.ingest-url", INGEST::url);
    }

    @BeforeEach
    void connect() {
        simulator = new SimulatorHttp(port);
    }

    /** Registers {@code instance} at run time for empresa {@code "emp-" + instance} with secret {@code "s-" + instance}. */
    protected void register(String instance) throws Exception {
        HttpResponse<String> registered = simulator.control("PUT", "/simulator/instances/" + instance + "/target",
                "{\"empresaId\":\"emp-" + instance + "\",\"secret\":\"s-" + instance + "\"}");
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    }

    /** The webhooks posted for {@code instance}'s empresa (as {@link #register} named it). */
    protected static List<JsonNode> webhooks(String instance) {
        return INGEST.of("emp-" + instance);
    }

    /** The calls the simulator logged for {@code instance}. */
    protected List<JsonNode> calls(String instance) throws Exception {
        return SimulatorHttp.json(simulator.control("GET", "/simulator/instances/" + instance + "/calls", null))
                .valueStream().toList();
    }
}
