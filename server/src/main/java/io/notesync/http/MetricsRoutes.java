package io.notesync.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.notesync.metrics.NotesyncMetrics;

/** {@code GET /metrics}: the Prometheus scrape, for whoever sends {@code metrics.token} ({@link MetricsAccess}). */
public final class MetricsRoutes {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricsAccess access;
    private final NotesyncMetrics metrics;

    /** @param token metrics.token, or null: /metrics answers 404 {@code metricsDisabled} */
    public MetricsRoutes(String token, NotesyncMetrics metrics) {
        this.access = new MetricsAccess(token);
        this.metrics = metrics;
    }

    HttpAnswer scrape(HttpRequestData request) {
        access.check(request.header(HttpHeaderNames.AUTHORIZATION));
        return HttpAnswer.ok(new HttpResponses.PlainText(PROMETHEUS_TEXT, metrics.scrape()));
    }
}
