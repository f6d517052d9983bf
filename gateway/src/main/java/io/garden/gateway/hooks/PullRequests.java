package io.garden.gateway.hooks;

import com.fasterxml.jackson.databind.JsonNode;
import io.garden.common.event.TriggerKind;
import io.garden.common.format.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.io.IOException;

/**
 * Reads a pull request from GitHub's API: a {@code /garden plan} comment names the request, not its head commit,
 * which the plan needs. The repository comes from a signed delivery but is still checked to be plainly one.
 */
final class PullRequests {

  private final HookSettings settings;
  private final HttpClient http;

  PullRequests(Vertx vertx, HookSettings settings) {
    this.settings = settings;
    this.http = vertx.createHttpClient();
  }

  Future<JsonNode> fetch(String repository, int number) {
    if (settings.githubToken().isEmpty()) {
      return Future.failedFuture(new IllegalStateException("GARDEN_GITHUB_TOKEN is not set: the pull request cannot"
          + " be read to plan it"));
    }
    if (!CommitStatus.plainGithubRepository(repository) || number < 1) {
      return Future.failedFuture(new IllegalArgumentException("not a pull request: " + number + " of " + repository));
    }
    RequestOptions options = ForgeRequests.of(settings, TriggerKind.GITHUB, HttpMethod.GET,
        ForgeRequests.url(settings, TriggerKind.GITHUB, "/repos/" + repository + "/pulls/" + number));
    return http.request(options).compose(request -> request.send()).compose(response -> response.body()
        .compose(body -> {
          if (response.statusCode() != 200) {
            return Future.failedFuture(new IllegalStateException("GitHub answered " + response.statusCode()
                + " for pull request " + number + " of " + repository));
          }
          try {
            return Future.succeededFuture(Json.requests().readTree(body.getBytes()));
          } catch (IOException e) {
            return Future.failedFuture(new IllegalStateException("GitHub's answer for pull request " + number
                + " is not JSON"));
          }
        }));
  }

  Future<Void> close() {
    return http.close();
  }
}
