package dev.chatcentral.processor.dlq;

/** The part of the pipeline that gave up on a record, in its {@code dlq-stage} header and in the metrics. */
public enum DeadLetterStage {
    /** The conversa topology: webhooks, commands, dispatch results, session signals. */
    CONVERSA("conversa"),
    /** The presence topology: session signals and typing. */
    PRESENCE("presence"),
    /** The PostgreSQL sink: conversas and mensagens it could not write. */
    SINK("sink");

    private final String code;

    DeadLetterStage(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
