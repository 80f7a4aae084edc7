package dev.chatcentral.gateway.websocket;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.SessionProperties;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.signal.SignalPublisher;
import dev.chatcentral.gateway.signal.TypingLane;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    /**
     * Characters (text) and bytes (binary; text passes through it before decoding) a session reads at a time:
     * clients send subscribe, ack and token-refresh frames of a few hundred characters, so a longer frame just
     * arrives in more pieces.
     */
    private static final int READ_BUFFER_SIZE = 256;
    /**
     * Bytes of Tomcat's read buffer of each connection, which also caps one read: what clients send is small and
     * rare, and the WebSocket frame reader reads on through it.
     */
    private static final int SOCKET_READ_BUFFER_SIZE = 512;
    /**
     * Bytes of Tomcat's write buffer of each connection; a WebSocket write bypasses it while it is empty but is cut
     * into writes of at most this size, so it stays at the WebSocket write buffer's size (GatewayApplication).
     */
    private static final int SOCKET_WRITE_BUFFER_SIZE = 1024;

    private final AgentTokenVerifier verifier;
    private final GatewayWebSocketHandler handler;
    private final Sessions sessions;
    private final RealtimeMetrics metrics;
    private final WebSocketProperties properties;

    WebSocketConfiguration(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                           Sessions sessions, SignalPublisher signals, TypingLane typing, CommandIntake commands,
                           RealtimeMetrics metrics, GatewayNode node, WebSocketProperties properties,
                           SessionProperties limits) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.metrics = metrics;
        this.properties = properties;
        this.handler = new GatewayWebSocketHandler(verifier, authorizer, fanout, sessions, signals, typing,
                commands, metrics, node, properties, limits);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws")
                .setHandshakeHandler(new DefaultHandshakeHandler(new HeaderlessUpgradeStrategy()))
                .addInterceptors(new AgentHandshakeInterceptor(verifier, sessions, metrics))
                .setAllowedOriginPatterns(properties.allowedOriginPatterns().toArray(String[]::new));
    }

    /**
     * Small read buffers: the container allocates both for every session, so their size, not the largest frame
     * allowed, sets much of an idle connection's memory. The handler takes frames in pieces of this size and
     * enforces the frame size limit itself (1009). Binary frames are refused anyway (1003).
     */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer() {
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(READ_BUFFER_SIZE);
        container.setMaxBinaryMessageBufferSize(READ_BUFFER_SIZE);
        return container;
    }

    /**
     * Tomcat's socket buffers are per connection too (8 KiB each way by default): a WebSocket mostly carries small
     * frames, and a larger one just takes more reads.
     */
    @Bean
    static TomcatConnectorCustomizer smallSocketBuffers() {
        return connector -> {
            connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_READ_BUFFER_SIZE));
            connector.setProperty("socket.appWriteBufSize", Integer.toString(SOCKET_WRITE_BUFFER_SIZE));
        };
    }
}
