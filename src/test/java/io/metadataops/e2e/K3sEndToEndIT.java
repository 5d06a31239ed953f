package io.metadataops.e2e;

/**
 * The end-to-end scenarios on k3s in a container, every pod real (see {@link K3sProvider}). Runs
 * where Testcontainers finds a Docker engine ({@code make test-k3s}); skipped with the reason
 * printed elsewhere.
 */
@K3sTest
class K3sEndToEndIT extends EndToEndScenarios {

  @Override
  protected E2eCluster startCluster() throws Exception {
    return K3sProvider.start();
  }
}
