package dev.chatcentral.gateway.rest;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of every error answer of the REST API.
 *
 * @param error  a stable code clients can branch on: unauthorized, bad_parameter, bad_command,
 *               too_large, not_found, unavailable
 * @param reason what was wrong, for a human
 */
@Schema(name = "Error", example = "{\"error\":\"bad_parameter\",\"reason\":\"limit must be between 1 and 200\"}")
public record ApiError(String error, String reason) {
}
