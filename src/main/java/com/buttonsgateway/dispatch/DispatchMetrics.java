package com.buttonsgateway.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The gateway's own meters (SPEC 9), registered in the registry that {@code /observe/metrics} serves. */
public final class DispatchMetrics {

    private final Supplier<MeterRegistry> registry;
    private final java.util.Map<String, Timer> callTimers = new java.util.concurrent.ConcurrentHashMap<>();
    /** The last calls' latency, for the console's p50/p95 of "now" (SPEC 10). */
    private final CallLatency latency = new CallLatency(4096, System::currentTimeMillis);

    public DispatchMetrics(Supplier<MeterRegistry> registry) {
        this.registry = registry;
    }

    public CallLatency latency() {
        return latency;
    }

    /** Provider calls to be retried since this instance started ({@code gateway_retries_total}, all routes). */
    public long retries() {
        return (long) registry.get().find("gateway_retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Backlog (QUEUED and SENDING) and held messages, read from the store when scraped. */
    public void gauges(com.buttonsgateway.store.MessageStore store) {
        io.micrometer.core.instrument.Gauge.builder("gateway_backlog", store,
                        s -> s.count(com.buttonsgateway.store.Status.QUEUED) + s.count(com.buttonsgateway.store.Status.SENDING))
                .description("Messages waiting to be sent or being sent").register(registry.get());
        io.micrometer.core.instrument.Gauge.builder("gateway_held", store, s -> s.count(com.buttonsgateway.store.Status.HELD))
                .description("Messages held until the contact writes").register(registry.get());
    }

    /** What dispatch holds right now: messages claimed by this instance, and provider calls whose outcome is not stored yet. */
    public void dispatchGauges(Dispatcher dispatcher, java.util.function.IntSupplier callsInFlight) {
        io.micrometer.core.instrument.Gauge.builder("gateway_dispatch_claimed", dispatcher, Dispatcher::claimed)
                .description("Messages this instance claimed and has not finished").register(registry.get());
        io.micrometer.core.instrument.Gauge.builder("gateway_provider_calls_in_flight", callsInFlight, calls -> calls.getAsInt())
                .description("Provider calls sent whose outcome is not in the store yet (at most gateway.dispatch.concurrency)")
                .register(registry.get());
    }

    /** SPEC 7: 1 while the provider's circuit is open (dispatch stopped by an outage), 0 otherwise. */
    public void circuitGauge(ProviderCircuit circuit) {
        io.micrometer.core.instrument.Gauge.builder("gateway_provider_circuit_open", circuit, c -> c.isOpen() ? 1 : 0)
                .description("1 while the provider's circuit is open: an outage stopped dispatch, one probe at growing intervals")
                .register(registry.get());
    }

    public void providerCall(String route, long nanos) {
        // once per call: the timer is built once per route, not looked up in the registry every time
        callTimers.computeIfAbsent(route == null ? "none" : route, r -> Timer.builder("gateway_provider_call")
                .description("Provider call latency").tag("route", r).publishPercentileHistogram()
                .register(registry.get())).record(nanos, TimeUnit.NANOSECONDS);
        latency.record(nanos);
    }

    public void finished(String status, String route) {
        Counter.builder("gateway_messages").description("Finished messages by status and route")
                .tag("status", status).tag("route", route == null ? "none" : route)
                .register(registry.get()).increment();
    }

    /** A legacy row skipped after failed tries of its claim or write-back (SPEC 9): gateway_poller_skipped_total{step}. */
    public void pollerSkipped(String step) {
        Counter.builder("gateway_poller_skipped").description("Legacy rows skipped after failed tries of their claim or write-back")
                .tag("step", step).register(registry.get()).increment();
    }

    public void retry(String route) {
        Counter.builder("gateway_retries").description("Provider calls to be retried")
                .tag("route", route == null ? "none" : route).register(registry.get()).increment();
    }
}
