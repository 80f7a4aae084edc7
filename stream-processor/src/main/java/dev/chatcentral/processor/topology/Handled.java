package dev.chatcentral.processor.topology;

import dev.chatcentral.processor.conversa.Effects;

/**
 * What became of one webhook, and the effects to emit for it: none when it was dropped or dead-lettered, only store
 * writes when it was parked.
 */
record Handled(WebhookOutcome outcome, Effects effects) {

    static Handled of(WebhookOutcome outcome) {
        return new Handled(outcome, Effects.NONE);
    }
}
