package dev.resilience.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.resilience.actuate.CircuitBreakersEndpoint.CircuitBreakerDescriptor;

/**
 * The HTTP side of the {@code circuitbreakers} write operation: a bad or missing state answers 400 and an unknown
 * name 404, each with a JSON body whose {@code message} says why (Spring Boot's error page leaves the reason out
 * unless {@code server.error.include-message} is set).
 */
@EndpointWebExtension(endpoint = CircuitBreakersEndpoint.class)
public class CircuitBreakersEndpointWebExtension {

    private final CircuitBreakersEndpoint delegate;

    public CircuitBreakersEndpointWebExtension(CircuitBreakersEndpoint delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * {@code POST /actuator/circuitbreakers/{name}} with {@code {"state": "X"}}, or Resilience4j's
     * {@code {"updateState": "Y"}} (see {@link CircuitBreakersEndpoint#target}).
     */
    @WriteOperation
    public WebEndpointResponse<Object> transition(@Selector String name, @Nullable String state,
            @Nullable String updateState) {
        CircuitBreakerDescriptor changed;
        try {
            changed = delegate.transition(name, state, updateState);
        }
        catch (InvalidEndpointRequestException ex) {
            return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getReason());
        }
        return Optional.<Object>ofNullable(changed).map(WebEndpointResponse::new)
                .orElseGet(() -> error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found",
                        "No circuit breaker named " + Echo.quoted(name)));
    }

    private static WebEndpointResponse<Object> error(int status, String error, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        body.put("message", message);
        return new WebEndpointResponse<>(body, status);
    }
}
