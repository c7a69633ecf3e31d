package io.notesync.protocol;

import org.json.JSONObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;

/** A person's account over HTTP, as the web app uses it: login, refresh, the account routes. */
final class AccountApi {

    private static final String COOKIE = "notesync_refresh";

    /** A logged-in session: its access token and refresh cookie value. */
    record Session(String accessToken, String cookie) {
    }

    private AccountApi() {
    }

    static Session login(String url, String username, String password) throws Exception {
        HttpResponse<String> response = post(url, "/auth/login", null, null,
                new JSONObject().put("username", username).put("password", password).toString());
        if (response.statusCode() != 200) {
            throw new AssertionError("login of " + username + ": " + response.statusCode() + " " + response.body());
        }
        return new Session(new JSONObject(response.body()).getString("accessToken"), cookieOf(response));
    }

    /** The refresh cookie's value a response sets, or null. */
    static String cookieOf(HttpResponse<String> response) {
        for (String header : response.headers().allValues("set-cookie")) {
            if (header.startsWith(COOKIE + "=")) {
                String value = header.substring(COOKIE.length() + 1, header.indexOf(';'));
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }

    static HttpResponse<String> refresh(String url, String cookie) throws Exception {
        return post(url, "/refresh", null, cookie, null);
    }

    static HttpResponse<String> changePassword(String url, Session session, String current, String next) throws Exception {
        return post(url, "/auth/password", session.accessToken(), session.cookie(),
                new JSONObject().put("currentPassword", current).put("newPassword", next).toString());
    }

    static HttpResponse<String> logoutAll(String url, Session session) throws Exception {
        return post(url, "/auth/logout-all", session.accessToken(), session.cookie(), null);
    }

    static HttpResponse<String> deleteAccount(String url, String token, String password) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + "/api/account")).header("Authorization", "Bearer " + token)
                .method("DELETE", HttpRequest.BodyPublishers.ofString(new JSONObject().put("password", password).toString())));
    }

    static HttpResponse<String> get(String url, String path, String token) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).GET());
    }

    /** Waits (a condition, not a pause) until the wall clock is in a later second than {@code instant}: iat is whole seconds. */
    static void awaitNextSecond(Instant instant) throws InterruptedException {
        while (Instant.now().getEpochSecond() <= instant.getEpochSecond()) {
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> post(String url, String path, String token, String cookie, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (cookie != null) {
            request.header("Cookie", COOKIE + "=" + cookie);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
