package io.notesync.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The route table: a known path and method finds its handler, a known path with another method is 405, the rest 404. */
class RoutesTest {

    private final Routes routes = Routes.of(new HealthRoutes(null, null), new NoteRoutes(null, null, null, null, null),
            new VideoRoutes(null, null), new AccountRoutes(null, null, null, null, null, null, null, null, null, null, null),
            new AuthRoutes(null, null, null, null, null, null), new MetricsRoutes(null, null));

    @Test
    void everyRouteIsFoundByItsMethodAndPath() {
        assertNotNull(routes.find(HttpMethod.GET, "/health"));
        assertNotNull(routes.find(HttpMethod.GET, "/api/notes"));
        assertNotNull(routes.find(HttpMethod.PATCH, "/api/notes/0123456789abcdef01234567"));
        assertNotNull(routes.find(HttpMethod.DELETE, "/api/notes/0123456789abcdef01234567"));
        assertNotNull(routes.find(HttpMethod.GET, "/api/videos"));
        assertNotNull(routes.find(HttpMethod.GET, "/api/export"));
        assertNotNull(routes.find(HttpMethod.DELETE, "/api/account"));
        assertNotNull(routes.find(HttpMethod.POST, "/auth/login"));
        assertNotNull(routes.find(HttpMethod.POST, "/auth/refresh"));
        assertNotNull(routes.find(HttpMethod.POST, "/refresh"));
        assertNotNull(routes.find(HttpMethod.POST, "/auth/logout"));
        assertNotNull(routes.find(HttpMethod.POST, "/auth/password"));
        assertNotNull(routes.find(HttpMethod.POST, "/auth/logout-all"));
        assertNotNull(routes.find(HttpMethod.GET, "/metrics"));
    }

    @Test
    void aKnownPathWithAnotherMethodIs405() {
        assertStatus(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpMethod.POST, "/api/notes");
        assertStatus(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpMethod.GET, "/api/notes/0123456789abcdef01234567");
        assertStatus(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpMethod.GET, "/auth/login");
        assertStatus(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpMethod.HEAD, "/health");
        assertStatus(HttpResponseStatus.METHOD_NOT_ALLOWED, HttpMethod.GET, "/api/account");
    }

    @Test
    void theNoteIdRouteTakesAnyRestSoItsHandlerAnswersABadId() {
        assertNotNull(routes.find(HttpMethod.PATCH, "/api/notes/"));
        assertNotNull(routes.find(HttpMethod.DELETE, "/api/notes/not/an/id"));
    }

    @Test
    void anUnknownPathIs404WhateverTheMethod() {
        assertStatus(HttpResponseStatus.NOT_FOUND, HttpMethod.GET, "/nope");
        assertStatus(HttpResponseStatus.NOT_FOUND, HttpMethod.POST, "/api/note");
        assertStatus(HttpResponseStatus.NOT_FOUND, HttpMethod.GET, "/health/");
    }

    private void assertStatus(HttpResponseStatus status, HttpMethod method, String path) {
        HttpError error = assertThrows(HttpError.class, () -> routes.find(method, path));
        assertEquals(status, error.status(), method + " " + path);
    }
}
