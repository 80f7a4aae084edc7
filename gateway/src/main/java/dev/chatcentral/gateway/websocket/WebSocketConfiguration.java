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
import dev.chatcentral.gateway.delivery.EventConsumer;
import dev.chatcentral.gateway.delivery.Fanout;

@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

    private final AgentTokenVerifier verifier;
    private final ChannelAuthorizer authorizer;
    private final Fanout fanout;
    private final EventConsumer events;
    private final WebSocketProperties properties;

    WebSocketConfiguration(AgentTokenVerifier verifier, ChannelAuthorizer authorizer, Fanout fanout,
                           EventConsumer events, WebSocketProperties properties) {
        this.verifier = verifier;
        this.authorizer = authorizer;
        this.fanout = fanout;
        this.events = events;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new GatewayWebSocketHandler(authorizer, fanout, events, properties), "/ws")
                .addInterceptors(new AgentHandshakeInterceptor(verifier))
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
