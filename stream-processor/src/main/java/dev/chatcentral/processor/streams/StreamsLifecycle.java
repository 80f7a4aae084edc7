package dev.chatcentral.processor.streams;

import org.springframework.context.SmartLifecycle;

/** Starts and stops one of the processor's Kafka Streams clients with the context. */
public abstract class StreamsLifecycle implements SmartLifecycle {

    private final StreamsClient client;

    protected StreamsLifecycle(StreamsClient client) {
        this.client = client;
    }

    @Override
    public void start() {
        client.start();
    }

    @Override
    public void stop() {
        client.stop();
    }

    @Override
    public boolean isRunning() {
        return client.isRunning();
    }

    public StreamsClient client() {
        return client;
    }
}
