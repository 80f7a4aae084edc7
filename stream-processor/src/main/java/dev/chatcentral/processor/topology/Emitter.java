package dev.chatcentral.processor.topology;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;

import dev.chatcentral.processor.conversa.Effects;
import dev.chatcentral.schemas.topic.Topics;

/**
 * The one place effects reach the sinks: every output is written and checked against its topic's limit first
 * ({@link Outputs}), then the effects' store writes are made, then the outputs are forwarded. An oversized output
 * throws before any write, so its input goes to the DLQ with the state as it was.
 */
final class Emitter {

    private final ProcessorContext<String, byte[]> context;

    Emitter(ProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    /**
     * @param timestamp the time of the input that caused the effects, given to every output
     * @param cause     that input's headers, whose correlation id every output carries
     */
    void emit(Effects effects, long timestamp, Headers cause) {
        Outputs outputs = new Outputs();
        effects.conversas().forEach(conversa -> outputs.add(ConversaTopology.CONVERSAS_SINK, Topics.CONVERSAS,
                conversa.conversaId(), conversa));
        effects.mensagens().forEach(mensagem -> outputs.add(ConversaTopology.MENSAGENS_SINK, Topics.MENSAGENS,
                mensagem.conversaId(), mensagem));
        effects.events().forEach(event -> outputs.add(ConversaTopology.EVENTS_SINK, Topics.EVENTS,
                event.empresaId(), event));
        effects.outbound().forEach(outbound -> outputs.add(ConversaTopology.OUTBOUND_SINK, Topics.OUTBOUND,
                outbound.instance(), outbound));
        effects.write();
        outputs.forward(context, timestamp, cause);
    }
}
