package io.metadataops.gitops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Git repository for Argo CD to sync from: a bare repository in a temporary directory, which Argo
 * CD reads as {@link #url()} ({@code file:///...}), and a working clone that the test changes with
 * the {@code git} CLI, as a person would: write files, commit, revert; every commit is pushed to
 * branch {@value #BRANCH} at once.
 *
 * <pre>{@code
 * try (GitRepository git = GitRepository.create()) {
 *   String sha = git.write("app/deployment.yaml", yaml).commit("Deploy 1.5.2");
 *   ...
 *   String revert = git.revertHead();
 * }
 * }</pre>
 */
public final class GitRepository implements AutoCloseable {

  /** The branch every commit goes to; an Application's targetRevision. */
  public static final String BRANCH = "main";

  private final Path root;
  private final Path bare;
  private final Path work;

  private GitRepository(Path root) {
    this.root = root;
    this.bare = root.resolve("repo.git");
    this.work = root.resolve("work");
  }

  /** A new empty repository (no commit yet) and its clone, under a new temporary directory. */
  public static GitRepository create() {
    try {
      GitRepository repository =
          new GitRepository(Files.createTempDirectory("metadataops-gitops-"));
      repository.git(repository.root, "init", "--quiet", "--bare", "-b", BRANCH, "repo.git");
      repository.git(repository.root, "clone", "--quiet", "repo.git", "work");
      repository.git(repository.work, "checkout", "--quiet", "-B", BRANCH);
      return repository;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for a Git repository", e);
    }
  }

  /** What an Application's spec.source.repoURL names: the bare repository. */
  public String url() {
    return "file://" + bare.toAbsolutePath();
  }

  /** Writes (creates or replaces) a file of the working clone; {@link #commit} records it. */
  public GitRepository write(String path, String content) {
    Path file = work.resolve(path);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    git(work, "add", "--", path);
    return this;
  }

  /** Removes a file of the working clone; {@link #commit} records it. */
  public GitRepository delete(String path) {
    git(work, "rm", "--quiet", "--", path);
    return this;
  }

  /** Commits what was written or deleted, pushes it and returns the new commit's SHA. */
  public String commit(String message) {
    git(work, "commit", "--quiet", "-m", message);
    return push();
  }

  /** Reverts the last commit with a new commit ({@code git revert}), pushes it, returns its SHA. */
  public String revertHead() {
    git(work, "revert", "--no-edit", "HEAD");
    return push();
  }

  /** The SHA of the last commit. */
  public String head() {
    return git(work, "rev-parse", "HEAD").trim();
  }

  /** Deletes both repositories. */
  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  private String push() {
    git(work, "push", "--quiet", "origin", BRANCH);
    return head();
  }

  private static String git(Path directory, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    // A fixed identity: the machine's git configuration may have none.
    command.addAll(
        List.of("-c", "user.name=metadataops tests", "-c", "user.email=tests@metadataops.invalid"));
    command.addAll(List.of(args));
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " failed in " + directory + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running git", e);
    }
  }
}
