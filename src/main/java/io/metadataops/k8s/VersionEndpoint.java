package io.metadataops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.metadataops.upgrade.VersionProbe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks an OpenMetadata server which version it runs: {@code GET /api/v1/system/version}. */
public class VersionEndpoint {

  public static final String PATH = "/api/v1/system/version";
  public static final int PORT = 8585;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Duration timeout;
  private final HttpClient http;

  public VersionEndpoint(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The in-cluster URL of a server Deployment's version endpoint (its Service has its name). */
  public static String defaultUrl(String deployment, String namespace) {
    return "http://%s.%s.svc:%d%s".formatted(deployment, namespace, PORT, PATH);
  }

  public VersionProbe probe(String url) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return new VersionProbe.Unreachable("HTTP " + response.statusCode() + " from " + url);
      }
      JsonNode version = JSON.readTree(response.body()).path("version");
      return version.isTextual()
          ? new VersionProbe.Reported(version.asText())
          : new VersionProbe.Unreachable("no version field in the answer of " + url);
    } catch (IOException | IllegalArgumentException e) {
      return new VersionProbe.Unreachable(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new VersionProbe.Unreachable("interrupted");
    }
  }
}
