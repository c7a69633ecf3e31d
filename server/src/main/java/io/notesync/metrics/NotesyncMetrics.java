package io.notesync.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.notesync.socket.PacketOutcome;
import io.notesync.socket.PacketStats;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** What notesync counts, and its Prometheus text rendering for {@code GET /metrics}. */
public final class NotesyncMetrics implements PacketStats, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<PacketOutcome, Counter> packets = new EnumMap<>(PacketOutcome.class);
    private final Timer storeLatency;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public NotesyncMetrics() {
        for (PacketOutcome outcome : PacketOutcome.values()) {
            packets.put(outcome, Counter.builder("notesync.packets")
                    .description("Packets answered, by outcome")
                    .tag("outcome", label(outcome))
                    .register(registry));
        }
        storeLatency = Timer.builder("notesync.store.latency")
                .description("From hand-off to the writer until the database acknowledged")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The {@code outcome} label of {@code notesync_packets_total}. */
    private static String label(PacketOutcome outcome) {
        return outcome.name().toLowerCase().replace('_', '-');
    }

    @Override
    public void answered(PacketOutcome outcome) {
        packets.get(outcome).increment();
    }

    @Override
    public void stored(Duration latency) {
        storeLatency.record(latency);
    }

    /** Registers {@code notesync_connections{transport=...}}, read from {@code source} at each scrape. */
    public <T> void connections(String transport, T source, ToDoubleFunction<T> count) {
        Gauge.builder("notesync.connections", source, count)
                .description("Authenticated sockets, by current transport")
                .tag("transport", transport)
                .register(registry);
    }

    /**
     * Registers {@code notesync_cluster_up} (1 while broadcasts make the round trip through Redis)
     * and {@code notesync_cluster_lost_broadcasts}: broadcasts other nodes missed during outages.
     */
    public <T> void cluster(T source, ToDoubleFunction<T> up, ToDoubleFunction<T> lost) {
        Gauge.builder("notesync.cluster.up", source, up)
                .description("1 while this node's broadcasts reach the other nodes through Redis")
                .register(registry);
        Gauge.builder("notesync.cluster.lost.broadcasts", source, lost)
                .description("Room broadcasts the other nodes missed because Redis was unavailable")
                .register(registry);
    }

    /**
     * Registers {@code notesync_store_documents_examined_total}: documents the embedded store's
     * queries examined. It grows with what each request reads; a request that made it grow by the
     * size of a collection scanned that collection.
     */
    public <T> void storeDocumentsExamined(T source, ToDoubleFunction<T> examined) {
        FunctionCounter.builder("notesync.store.documents.examined", source, examined)
                .description("Documents the embedded store's queries examined")
                .register(registry);
    }

    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
