package io.metadataops.controller.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.metadataops.api.BackupRetention;
import io.metadataops.api.shared.DatabaseSource;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The time and retention rules of backup schedules. Pure: unit-tested without a cluster. */
final class BackupScheduling {

  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private BackupScheduling() {}

  /** A parsed schedule in its time zone. */
  record Schedule(ExecutionTime times, ZoneId zone) {

    /**
     * The latest due time in (since, now], if any. Only the latest: after downtime one backup is
     * taken, not one per missed slot.
     */
    Optional<Instant> dueSince(Instant since, Instant now) {
      // lastExecution is strictly before its argument: a slot at exactly `now` counts as due.
      return times
          .lastExecution(now.plusSeconds(1).atZone(zone))
          .map(ZonedDateTime::toInstant)
          .filter(last -> last.isAfter(since) && !last.isAfter(now));
    }

    Optional<Instant> nextAfter(Instant now) {
      return times.nextExecution(now.atZone(zone)).map(ZonedDateTime::toInstant);
    }
  }

  /** Parses {@code spec.schedule} and {@code spec.timeZone}, or names what is wrong with them. */
  static Schedule parse(String expression, String timeZone) throws InvalidSchedule {
    ZoneId zone;
    try {
      zone = ZoneId.of(timeZone == null ? "UTC" : timeZone);
    } catch (DateTimeException e) {
      throw new InvalidSchedule(
          "spec.timeZone %s is not an IANA time zone (for example UTC or Europe/Paris)"
              .formatted(timeZone));
    }
    try {
      Cron cron = PARSER.parse(expression);
      return new Schedule(ExecutionTime.forCron(cron), zone);
    } catch (IllegalArgumentException e) {
      throw new InvalidSchedule(
          "spec.schedule %s is not a five-field cron expression (%s): for example \"0 2 * * *\""
              .formatted(expression, e.getMessage()));
    }
  }

  static final class InvalidSchedule extends Exception {
    InvalidSchedule(String message) {
      super(message);
    }
  }

  /** What retention needs to know of one backup of the schedule. */
  record Kept(String name, Instant created, boolean finished, boolean succeeded) {}

  /**
   * The backups retention removes: beyond the newest {@code keepLast} successful ones, and finished
   * ones older than {@code maxAge}. Running backups and the newest successful one always stay.
   */
  static List<String> toPrune(List<Kept> backups, BackupRetention retention, Instant now) {
    if (retention == null) {
      return List.of();
    }
    List<Kept> newestFirst =
        backups.stream().sorted(Comparator.comparing(Kept::created).reversed()).toList();
    Optional<Kept> newestSuccess = newestFirst.stream().filter(Kept::succeeded).findFirst();
    Optional<Instant> oldestAllowed = maxAge(retention.maxAge).map(now::minus);
    List<String> prune = new ArrayList<>();
    int successes = 0;
    for (Kept backup : newestFirst) {
      if (!backup.finished() || newestSuccess.map(backup::equals).orElse(false)) {
        successes += backup.succeeded() ? 1 : 0;
        continue;
      }
      boolean tooMany =
          backup.succeeded() && retention.keepLast != null && successes >= retention.keepLast;
      boolean tooOld = oldestAllowed.map(backup.created()::isBefore).orElse(false);
      boolean supersededFailure =
          !backup.succeeded()
              && newestSuccess.map(s -> s.created().isAfter(backup.created())).orElse(false);
      if (tooMany || tooOld || supersededFailure) {
        prune.add(backup.name());
      } else if (backup.succeeded()) {
        successes++;
      }
    }
    return prune;
  }

  static Optional<Duration> maxAge(String text) {
    if (text == null) {
      return Optional.empty();
    }
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    return Optional.of(
        switch (text.charAt(text.length() - 1)) {
          case 'm' -> Duration.ofMinutes(amount);
          case 'h' -> Duration.ofHours(amount);
          case 'd' -> Duration.ofDays(amount);
          default -> throw new IllegalArgumentException("maxAge unit must be m, h or d: " + text);
        });
  }

  /** Whether two backups read the same database: the concurrency guard compares these. */
  static boolean sameDatabase(DatabaseSource a, DatabaseSource b) {
    if (a.server != null && b.server != null) {
      return Objects.equals(a.server.deploymentName, b.server.deploymentName);
    }
    if (a.database != null && b.database != null) {
      return Objects.equals(a.database.host, b.database.host)
          && Objects.equals(a.database.port, b.database.port)
          && Objects.equals(a.database.name, b.database.name);
    }
    return false;
  }
}
