package io.metadataops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.e2e.standin.StandInOpenMetadata;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that keeps writing through the OpenMetadata server, as ingestion through the API does:
 * one table entity after another, each named {@link #NAME_PREFIX}{@code <n>}, until stopped. A
 * write counts as acknowledged only when the server answered 201 with the entity's id, which the
 * stand-in does once the row is committed; everything else (refused, reset, timed out while the
 * server goes down) is counted as not acknowledged and retried with the next name.
 */
public final class E2eWriter implements AutoCloseable {

  /** The name prefix of every entity the writer creates. */
  public static final String NAME_PREFIX = "written-";

  /** Between two writes: enough rows to matter, little load on a two-core machine. */
  private static final Duration PACE = Duration.ofMillis(50);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final URI tables;
  private final List<String> acknowledged = new ArrayList<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile int attempts;

  private E2eWriter(String apiUrl) {
    this.tables = URI.create(apiUrl + StandInOpenMetadata.TABLES_PATH);
    this.thread = new Thread(this::run, "e2e-writer " + apiUrl);
    thread.setDaemon(true);
  }

  /** Starts writing to the server at {@code apiUrl} ({@code http://host:8585}). */
  public static E2eWriter start(String apiUrl) {
    E2eWriter writer = new E2eWriter(apiUrl);
    writer.thread.start();
    return writer;
  }

  private void run() {
    while (!stopped) {
      String name = NAME_PREFIX + attempts++;
      String body =
          "{\"name\":\"%s\",\"databaseSchema\":\"e2e.writer.public\",\"tableType\":\"Regular\"}"
              .formatted(name);
      try {
        HttpResponse<String> response =
            HTTP.send(
                HttpRequest.newBuilder(tables)
                    .timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 201) {
          JsonNode entity = JSON.readTree(response.body());
          synchronized (acknowledged) {
            acknowledged.add(entity.get("id").asText());
          }
        }
      } catch (IOException e) {
        // not acknowledged: the server is going down or unreachable
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(PACE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The ids of the writes the server acknowledged so far. */
  public List<String> acknowledged() {
    synchronized (acknowledged) {
      return List.copyOf(acknowledged);
    }
  }

  /** How many writes were tried, acknowledged or not. */
  public int attempts() {
    return attempts;
  }

  /** Stops writing; returns once no write is in flight. */
  @Override
  public void close() {
    stopped = true;
    try {
      thread.join(Duration.ofSeconds(15).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
