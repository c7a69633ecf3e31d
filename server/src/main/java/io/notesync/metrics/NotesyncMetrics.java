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
import io.notesync.auth.LoginOutcome;
import io.notesync.auth.LoginStats;
import io.notesync.socket.PacketOutcome;
import io.notesync.socket.PacketStats;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** What notesync counts, and its Prometheus text rendering for {@code GET /metrics}. */
public final class NotesyncMetrics implements PacketStats, LoginStats, AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<PacketOutcome, Counter> packets = new EnumMap<>(PacketOutcome.class);
    private final Map<LoginOutcome, Counter> logins = new EnumMap<>(LoginOutcome.class);
    private final Timer storeLatency;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public NotesyncMetrics() {
        for (PacketOutcome outcome : PacketOutcome.values()) {
            packets.put(outcome, Counter.builder("notesync.packets")
                    .description("Packets answered, by outcome")
                    .tag("outcome", label(outcome))
                    .register(registry));
        }
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins.put(outcome, Counter.builder("notesync.logins")
                    .description("Login attempts, by outcome: accepted, refused (wrong password or unknown user), throttled")
                    .tag("outcome", outcome.label())
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
    public void login(LoginOutcome outcome) {
        logins.get(outcome).increment();
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

    /**
     * Registers {@code notesync_output_held_bytes} and {@code notesync_output_budget_bytes} (what the
     * server holds for peers that have not taken it, and the most it may), and
     * {@code notesync_sockets_cut_off_total{reason}}: {@code slow-consumer} for a socket over its own
     * bound, {@code over-budget} for the largest holders cut off when everything held was over the budget.
     */
    public <T> void outputHeld(T source, ToDoubleFunction<T> held, ToDoubleFunction<T> budget,
                               ToDoubleFunction<T> slowConsumers, ToDoubleFunction<T> overBudget) {
        Gauge.builder("notesync.output.held", source, held)
                .description("Bytes held for peers that have not taken them (unsent socket output, queued polling packets)")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("notesync.output.budget", source, budget)
                .description("The most the server holds for peers before it cuts off the largest holders")
                .baseUnit("bytes")
                .register(registry);
        FunctionCounter.builder("notesync.sockets.cut.off", source, slowConsumers)
                .description("Sockets and connections disconnected for what they held unread")
                .tag("reason", "slow-consumer")
                .register(registry);
        FunctionCounter.builder("notesync.sockets.cut.off", source, overBudget)
                .description("Sockets and connections disconnected for what they held unread")
                .tag("reason", "over-budget")
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
