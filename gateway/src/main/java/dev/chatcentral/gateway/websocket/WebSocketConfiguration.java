package dev.chatcentral.gateway.websocket;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

import dev.chatcentral.gateway.auth.AgentTokenVerifier;
import dev.chatcentral.gateway.channel.ChannelAuthorizer;
import dev.chatcentral.gateway.command.CommandIntake;
import dev.chatcentral.gateway.delivery.Fanout;
import dev.chatcentral.gateway.delivery.RealtimeMetrics;
import dev.chatcentral.gateway.delivery.SessionProperties;
import dev.chatcentral.gateway.delivery.Sessions;
import dev.chatcentral.gateway.node.GatewayNode;
import dev.chatcentral.gateway.signal.SignalPublisher;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentTokenVerifier verifier;
    private final GatewayWebSocketHandler handler;
    private final Sessions sessions;
    private final RealtimeMetrics metrics;
    private final WebSocketProperties properties;

    WebSocketConfiguration(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                           Sessions sessions, SignalPublisher signals, CommandIntake commands,
                           RealtimeMetrics metrics, GatewayNode node, WebSocketProperties properties,
                           SessionProperties limits) {
        this.verifier = verifier;
        this.sessions = sessions;
        this.metrics = metrics;
        this.properties = properties;
        this.handler = new GatewayWebSocketHandler(verifier, authorizer, fanout, sessions, signals, commands,
                metrics, node, properties, limits);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(handler, "/ws")
                .addInterceptors(new AgentHandshakeInterceptor(verifier, sessions, metrics))
                .setAllowedOriginPatterns(properties.allowedOriginPatterns().toArray(String[]::new));
    }

    /**
     * The container rejects larger text frames itself, closing with 1009 before any of it reaches the handler.
     * The properties are read only when the container is configured: Spring instantiates factory beans early to
     * learn their type, before configuration properties exist.
     */
    @Bean
    static ServletServerContainerFactoryBean webSocketContainer(ObjectProvider<WebSocketProperties> properties) {
        return new ServletServerContainerFactoryBean() {
            @Override
            public void afterPropertiesSet() {
                int maxFrameSize = (int) properties.getObject().maxFrameSize().toBytes();
                setMaxTextMessageBufferSize(maxFrameSize);
                setMaxBinaryMessageBufferSize(maxFrameSize);
                super.afterPropertiesSet();
            }
        };
    }
}
