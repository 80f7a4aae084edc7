package dev.chatcentral.schemas.event;

/** The {@code type} of a {@link RealtimeEvent}: what browsers receive (docs/protocol.md). */
public final class EventType {

    public static final String MESSAGE_NOTIFICATION = "message_notification";
    public static final String MESSAGE_STATUS = "message_status";
    public static final String MESSAGE_EDITED = "message_edited";
    public static final String MESSAGE_DELETED = "message_deleted";
    public static final String MESSAGE_REACTION = "message_reaction";
    public static final String CONVERSATION_UPDATED = "conversation_updated";
    public static final String CONVERSATION_TRANSFERRED = "conversation_transferred";
    public static final String PRESENCE_UPDATE = "presence_update";
    public static final String TYPING_START = "typing_start";
    public static final String TYPING_STOP = "typing_stop";
    public static final String INSTANCE_STATUS = "instance_status";
    public static final String COMMAND_REJECTED = "command_rejected";
    /** An empresa's live service figures ({@code ServiceMetrics}), shown without a position and never replayed. */
    public static final String SERVICE_METRICS = "service_metrics";
    /** A response the empresa's SLA targets is due soon ({@code SlaTimerData}). */
    public static final String SLA_WARNING = "sla_warning";
    /** A response the empresa's SLA targets is due and has not come ({@code SlaTimerData}). */
    public static final String SLA_BREACHED = "sla_breached";

    private EventType() {
    }
}
