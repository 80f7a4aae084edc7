package dev.chatcentral.gateway.realtime;

import java.io.IOException;

import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.chatcentral.gateway.delivery.FrameSink;
import dev.chatcentral.gateway.delivery.Frames;
import dev.chatcentral.gateway.delivery.OutboundFrame;

/**
 * Frames as SSE messages: the same JSON as on the WebSocket in {@code data}, and the position in {@code id} where
 * it is safe to resume from (so the browser's automatic reconnect sends it back as {@code Last-Event-ID}).
 */
final class SseSink implements FrameSink {

    private final SseEmitter emitter;

    SseSink(SseEmitter emitter) {
        this.emitter = emitter;
    }

    @Override
    public void write(OutboundFrame frame) throws IOException {
        SseEmitter.SseEventBuilder event = SseEmitter.event();
        if (frame.resumable() && frame.position() >= 0) {
            event.id(Long.toString(frame.position()));
        }
        emitter.send(event.data(frame.json()));
    }

    @Override
    public void ping() throws IOException {
        emitter.send(SseEmitter.event().comment("ping"));
    }

    @Override
    public void close(int code, String reason) {
        try {
            emitter.send(SseEmitter.event().data(Frames.closing(code, reason).json()));
            emitter.complete();
        } catch (IOException | RuntimeException e) {
            emitter.completeWithError(e);
        }
    }
}
