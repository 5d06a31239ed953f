package io.metadataops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged wiring: Quarkus starts, CDI builds every reconciler, the operator connects to the
 * real API server of KUBECONFIG, and the probes and metrics the Deployment uses answer.
 */
@QuarkusTest
@Tag("cluster")
class OperatorApplicationTest {

  @TestHTTPResource("/q/health/ready")
  URL ready;

  @TestHTTPResource("/q/health/live")
  URL live;

  @TestHTTPResource("/q/metrics")
  URL metrics;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void probesReportEveryControllerHealthy() throws Exception {
    // An informer whose first list failed retries (see application.properties): ready soon after.
    HttpResponse<String> readiness =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> get(ready), r -> r.statusCode() == 200);
    assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("metadatabackup")
        .contains("metadatarestore")
        .contains("metadataupgrade")
        .contains("metadatabackupschedule");
    assertThat(get(live).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsAreExposedForPrometheus() throws Exception {
    HttpResponse<String> response = get(metrics);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("jvm_memory_used_bytes");
  }

  private HttpResponse<String> get(URL url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url.toString())).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
