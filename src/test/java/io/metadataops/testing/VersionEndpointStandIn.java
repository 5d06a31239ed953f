package io.metadataops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.metadataops.k8s.DeploymentRollout;
import io.metadataops.k8s.VersionEndpoint;
import io.metadataops.upgrade.ServerDeployment.RolloutState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for OpenMetadata's version endpoint, which cannot run here: {@code
 * /<deployment>/api/v1/system/version} answers the tag of the Deployment's image once its rollout
 * is complete, and 503 before, like a real server that is only up once rolled out.
 */
public final class VersionEndpointStandIn implements AutoCloseable {

  private final ClusterNamespace namespace;
  private final HttpServer server;

  private VersionEndpointStandIn(ClusterNamespace namespace) throws IOException {
    this.namespace = namespace;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  public static VersionEndpointStandIn start(ClusterNamespace namespace) {
    try {
      return new VersionEndpointStandIn(namespace);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to put in spec.verification.url for the server Deployment {@code deployment}. */
  public String url(String deployment) {
    return "http://127.0.0.1:%d/%s%s"
        .formatted(server.getAddress().getPort(), deployment, VersionEndpoint.PATH);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String deploymentName = exchange.getRequestURI().getPath().split("/")[1];
    Deployment deployment =
        namespace
            .client()
            .apps()
            .deployments()
            .inNamespace(namespace.name())
            .withName(deploymentName)
            .get();
    boolean up =
        deployment != null
            && DeploymentRollout.replicas(deployment) > 0
            && DeploymentRollout.of(deployment) == RolloutState.COMPLETE;
    String image =
        up ? deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage() : "";
    byte[] body =
        ("{\"version\":\"%s\",\"revision\":\"test\",\"timestamp\":0}"
                .formatted(image.substring(image.lastIndexOf(':') + 1)))
            .getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(up ? 200 : 503, up ? body.length : -1);
    if (up) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
