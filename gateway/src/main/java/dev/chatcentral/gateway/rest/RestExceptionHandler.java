package dev.chatcentral.gateway.rest;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Answers every failure of the REST controllers with an {@link ApiError}, never a stack trace. */
@RestControllerAdvice(basePackageClasses = RestExceptionHandler.class)
class RestExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RestExceptionHandler.class);

    @ExceptionHandler
    ResponseEntity<ApiError> refused(ApiException e) {
        return ResponseEntity.status(e.status()).body(e.body());
    }

    @ExceptionHandler
    ResponseEntity<ApiError> badlyTyped(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == UUID.class ? "a UUID" : type == Integer.class ? "an integer" : "a valid value";
        return ResponseEntity.badRequest().body(new ApiError("bad_parameter", e.getName() + " must be " + expected));
    }

    @ExceptionHandler
    ResponseEntity<ApiError> databaseFailed(DataAccessException e) {
        log.warn("REST read failed: {}", e.getMostSpecificCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ApiError("unavailable", "the database did not answer, try again"));
    }
}
