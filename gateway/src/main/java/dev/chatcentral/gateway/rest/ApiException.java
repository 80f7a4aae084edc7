package dev.chatcentral.gateway.rest;

import org.springframework.http.HttpStatus;

/** A request that cannot be answered with data; {@link RestExceptionHandler} turns it into an {@link ApiError}. */
class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    private ApiException(HttpStatus status, String error, String reason) {
        super(reason);
        this.status = status;
        this.error = error;
    }

    static ApiException badParameter(String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_parameter", reason);
    }

    static ApiException badCommand(String reason) {
        return new ApiException(HttpStatus.BAD_REQUEST, "bad_command", reason);
    }

    static ApiException tooLarge(String reason) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "too_large", reason);
    }

    static ApiException forbidden(String reason) {
        return new ApiException(HttpStatus.FORBIDDEN, "forbidden", reason);
    }

    static ApiException conflict(String reason) {
        return new ApiException(HttpStatus.CONFLICT, "conflict", reason);
    }

    static ApiException notFound(String reason) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", reason);
    }

    static ApiException unavailable(String reason) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", reason);
    }

    HttpStatus status() {
        return status;
    }

    ApiError body() {
        return new ApiError(error, getMessage());
    }
}
