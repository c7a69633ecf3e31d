package io.notesync.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.notesync.notes.NoteRepository;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code GET /health}: 200 while the database answers, 503 {@code storageUnavailable} otherwise. */
public final class HealthRoutes {

    private final NoteRepository repository;
    private final BooleanSupplier clusterUp;

    /** @param clusterUp whether broadcasts reach the other nodes; null for a single node */
    public HealthRoutes(NoteRepository repository, BooleanSupplier clusterUp) {
        this.repository = repository;
        this.clusterUp = clusterUp;
    }

    HttpAnswer health(HttpRequestData request) {
        if (!repository.isAvailable()) {
            throw new HttpError(HttpResponseStatus.SERVICE_UNAVAILABLE, "storageUnavailable", "the database does not answer");
        }
        if (clusterUp == null) {
            return HttpAnswer.ok(Map.of("status", "ok", "database", "up"));
        }
        // Still 200 when Redis is down: this node stores and confirms, so a load balancer must keep
        // sending it traffic; every node sees the same Redis, so taking nodes out would help nothing.
        boolean up = clusterUp.getAsBoolean();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "degraded");
        body.put("database", "up");
        body.put("cluster", up ? "up" : "degraded");
        return HttpAnswer.ok(body);
    }
}
