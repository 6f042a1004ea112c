package dev.camel.eventstore.testkit;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Basic authentication as the real server applies it: credentials that do not match a user fail every call with
 * UNAUTHENTICATED; a call without credentials is anonymous, which may read gossip and server features but gets
 * PERMISSION_DENIED ("Access Denied") on streams.
 */
final class BasicAuthInterceptor implements ServerInterceptor {
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String STREAMS_SERVICE = "event_store.client.streams.Streams";

    private final Map<String, String> passwords;

    BasicAuthInterceptor(Map<String, String> passwords) {
        this.passwords = Map.copyOf(passwords);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String authorization = headers.get(AUTHORIZATION);
        if (authorization == null) {
            if (STREAMS_SERVICE.equals(call.getMethodDescriptor().getServiceName())) {
                io.grpc.StatusRuntimeException denied = Responses.accessDenied();
                call.close(denied.getStatus(), denied.getTrailers());
                return new ServerCall.Listener<>() {};
            }
            return next.startCall(call, headers);
        }
        if (!authenticated(authorization)) {
            call.close(Status.UNAUTHENTICATED.withDescription("Unauthenticated"), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private boolean authenticated(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String expected = passwords.get(decoded.substring(0, colon));
        return expected != null && expected.equals(decoded.substring(colon + 1));
    }
}
