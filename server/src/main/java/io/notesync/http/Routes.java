package io.notesync.http;

import io.netty.handler.codec.http.HttpMethod;

import java.util.List;

import static io.netty.handler.codec.http.HttpMethod.DELETE;
import static io.netty.handler.codec.http.HttpMethod.GET;
import static io.netty.handler.codec.http.HttpMethod.PATCH;
import static io.netty.handler.codec.http.HttpMethod.POST;

/**
 * Every HTTP route notesync serves, in one table. A path no route has is 404 {@code notFound}; a
 * path some route has, asked with another method, is 405 {@code methodNotAllowed}.
 */
public final class Routes {

    private final List<Route> table;

    private Routes(List<Route> table) {
        this.table = List.copyOf(table);
    }

    public static Routes of(HealthRoutes health, NoteRoutes notes, VideoRoutes videos, AccountRoutes account,
                            AuthRoutes auth, MetricsRoutes metrics) {
        return new Routes(List.of(
                new Route(GET,    "/health",          health::health),
                new Route(GET,    "/api/notes",       notes::list),
                new Route(PATCH,  "/api/notes/{id}",  notes::edit),
                new Route(DELETE, "/api/notes/{id}",  notes::delete),
                new Route(GET,    "/api/videos",      videos::list),
                new Route(GET,    "/api/export",      account::export),
                new Route(DELETE, "/api/account",     account::deleteAccount),
                new Route(POST,   "/auth/login",      auth::login),
                new Route(POST,   "/auth/refresh",    auth::refresh),
                new Route(POST,   "/refresh",         auth::refresh),
                new Route(POST,   "/auth/logout",     auth::logout),
                new Route(POST,   "/auth/password",   account::changePassword),
                new Route(POST,   "/auth/logout-all", account::logoutAll),
                new Route(GET,    "/metrics",         metrics::scrape)));
    }

    /** @throws HttpError 404 {@code notFound} or 405 {@code methodNotAllowed} */
    Route.Handler find(HttpMethod method, String path) {
        boolean pathKnown = false;
        for (Route route : table) {
            if (route.matches(path)) {
                if (route.method().equals(method)) {
                    return route.handler();
                }
                pathKnown = true;
            }
        }
        throw pathKnown ? HttpError.methodNotAllowed(method.name(), path) : HttpError.notFound(path);
    }
}
