package io.notesync.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** An HTTP answer that is not a success: a status and the {@code {error:{code,message}}} body. */
final class HttpError extends RuntimeException {

    private final HttpResponseStatus status;
    private final String code;
    /** The request part that is wrong (a body or query field), or null. */
    private final String field;

    HttpError(HttpResponseStatus status, String code, String message) {
        this(status, code, null, message);
    }

    HttpError(HttpResponseStatus status, String code, String field, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
    }

    String field() {
        return field;
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }

    static HttpError badRequest(String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalidRequest", message);
    }

    static HttpError badRequest(String field, String message) {
        return new HttpError(HttpResponseStatus.BAD_REQUEST, "invalidRequest", field, message);
    }

    static HttpError tooLarge(String field, String message) {
        return new HttpError(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "tooLarge", field, message);
    }

    static HttpError unauthorized(String reason, String message) {
        return new HttpError(HttpResponseStatus.UNAUTHORIZED, reason, message);
    }

    static HttpError notFound(String path) {
        return new HttpError(HttpResponseStatus.NOT_FOUND, "notFound", "no route for " + path);
    }

    static HttpError methodNotAllowed(String method, String path) {
        return new HttpError(HttpResponseStatus.METHOD_NOT_ALLOWED, "methodNotAllowed", method + " is not allowed on " + path);
    }

    static HttpError storageUnavailable() {
        return new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "storageUnavailable",
                "the database is unavailable; try again later");
    }
}
