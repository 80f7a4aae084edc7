package dev.chatcentral.schemas.event;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code data} of an {@code instance_status} event: the state of one of the empresa's WhatsApp numbers
 * (Evolution's {@code connection.update}), or its silence.
 *
 * @param state        {@code open}, {@code connecting}, {@code close} or {@code refused}
 * @param statusReason Evolution's reason code (e.g. 401 when the number was logged out), or null
 * @param wuid         the number's own JID, when Evolution sent it
 * @param silent       true when the number says {@code open} but has sent no webhook for far longer than its usual
 *                     gap (Evolution instances are known to stop sending while "connected"); false when a webhook
 *                     ended such a silence; null on a plain state change
 * @param lastWebhookAt with {@code silent}: when its last webhook arrived
 */
public record InstanceStatusData(String instance, String state, Integer statusReason, String wuid,
                                 String profileName,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Boolean silent,
                                 @JsonInclude(JsonInclude.Include.NON_NULL) Instant lastWebhookAt) {

    /** A state change, as {@code connection.update} reports it. */
    public InstanceStatusData(String instance, String state, Integer statusReason, String wuid, String profileName) {
        this(instance, state, statusReason, wuid, profileName, null, null);
    }
}
