package dev.chatcentral.schemas.event;

/**
 * {@code data} of an {@code instance_status} event: the state of one of the empresa's WhatsApp numbers
 * (Evolution's {@code connection.update}).
 *
 * @param state        {@code open}, {@code connecting}, {@code close} or {@code refused}
 * @param statusReason Evolution's reason code (e.g. 401 when the number was logged out), or null
 * @param wuid         the number's own JID, when Evolution sent it
 */
public record InstanceStatusData(String instance, String state, Integer statusReason, String wuid,
                                 String profileName) {
}
