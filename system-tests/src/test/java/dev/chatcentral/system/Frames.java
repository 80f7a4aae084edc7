package dev.chatcentral.system;

import tools.jackson.databind.JsonNode;

import dev.chatcentral.schemas.event.EventType;

/** What the system tests look for among the frames a browser received. */
final class Frames {

    private Frames() {
    }

    /** A {@code message_notification} of the mensagem with this WhatsApp key id. */
    static boolean isNotificationFor(JsonNode frame, String keyId) {
        return EventType.MESSAGE_NOTIFICATION.equals(frame.path("type").asString())
                && keyId.equals(frame.path("data").path("mensagem").path("keyId").asString());
    }
}
