package dev.chatcentral.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chatcentral.testing.AgentTokens;
import dev.chatcentral.testing.WebSocketTestClient;

/**
 * The stack with two empresas, A and B, each with one atendente connected to the gateway and subscribed to its
 * {@code empresa:} channel, for the tests where what one empresa does must (or must not) reach the other.
 */
@ExtendWith(TestInfrastructure.Available.class)
abstract class TwoEmpresasFixture {

    static final String EMPRESA_A = "emp-a";
    static final String INSTANCE_A = "loja-a-01";
    static final String SECRET_A = "segredo-webhook-a";
    static final String EMPRESA_B = "emp-b";
    static final String INSTANCE_B = "loja-b-01";
    static final String SECRET_B = "segredo-webhook-b";

    static ChatCentralStack stack;
    WebSocketTestClient clientA;
    WebSocketTestClient clientB;

    @BeforeAll
    static void startStack() throws Exception {
        stack = new ChatCentralStack();
        stack.database.seedEmpresa(EMPRESA_A, INSTANCE_A, SECRET_A);
        stack.database.seedEmpresa(EMPRESA_B, INSTANCE_B, SECRET_B);
    }

    @AfterAll
    static void stopStack() {
        stack.close();
    }

    @BeforeEach
    void connectOneAtendentePerEmpresa() {
        clientA = WebSocketTestClient.connect(stack.gatewayWsUrl(), AgentTokens.atendente("ana", EMPRESA_A));
        clientA.subscribe("empresa:" + EMPRESA_A);
        clientB = WebSocketTestClient.connect(stack.gatewayWsUrl(), AgentTokens.atendente("bruno", EMPRESA_B));
        clientB.subscribe("empresa:" + EMPRESA_B);
    }

    @AfterEach
    void disconnect() {
        clientA.close();
        clientB.close();
    }
}
