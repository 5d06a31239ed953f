package io.metadataops.controller.backup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus metrics of backups, per namespace (exposed at /q/metrics). */
public class BackupMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  public BackupMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void started(String namespace) {
    counter("metadataops_backups_started_total", namespace).increment();
  }

  public void failed(String namespace) {
    counter("metadataops_backups_failed_total", namespace).increment();
  }

  /** A verification by restore ended: passed, or failed (the backup with it). */
  public void verified(String namespace, boolean passed) {
    counter(
            passed
                ? "metadataops_backup_verifications_passed_total"
                : "metadataops_backup_verifications_failed_total",
            namespace)
        .increment();
  }

  public void succeeded(String namespace, Duration duration, long sizeBytes, Instant at) {
    counter("metadataops_backups_succeeded_total", namespace).increment();
    Timer.builder("metadataops_backup_duration")
        .description("Wall time of successful backups")
        .tag("namespace", namespace)
        .register(registry)
        .record(duration);
    DistributionSummary.builder("metadataops_backup_size_bytes")
        .description("Size of successful backup dumps")
        .baseUnit("bytes")
        .tag("namespace", namespace)
        .register(registry)
        .record(sizeBytes);
    lastSuccess
        .computeIfAbsent(
            namespace,
            ns -> {
              AtomicLong holder = new AtomicLong();
              registry.gauge(
                  "metadataops_backup_last_success_timestamp_seconds",
                  List.of(Tag.of("namespace", ns)),
                  holder);
              return holder;
            })
        .set(at.getEpochSecond());
  }

  private Counter counter(String name, String namespace) {
    return Counter.builder(name).tag("namespace", namespace).register(registry);
  }
}
