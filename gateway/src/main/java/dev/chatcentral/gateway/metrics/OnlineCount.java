package dev.chatcentral.gateway.metrics;

import java.time.Instant;

/** How many atendentes of an empresa were online at one moment. */
public record OnlineCount(Instant at, int online) {
}
