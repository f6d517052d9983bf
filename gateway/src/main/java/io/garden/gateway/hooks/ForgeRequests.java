package io.garden.gateway.hooks;

import io.garden.common.event.TriggerKind;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.net.URI;

/**
 * A call to a forge's REST API as garden makes them all (commit statuses, plan comments and check runs, a pull
 * request read back): this gateway's token for that forge in its header (never anywhere else), JSON, garden as the
 * user agent, a 10 s bound.
 */
final class ForgeRequests {

  private ForgeRequests() {
  }

  /** @throws java.util.NoSuchElementException when this gateway has no token for {@code forge} */
  static RequestOptions of(HookSettings hooks, TriggerKind forge, HttpMethod method, URI url) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url.toString())
        .putHeader("Content-Type", "application/json").putHeader("User-Agent", "garden-pipeline")
        .setTimeout(10_000);
    if (forge == TriggerKind.GITHUB) {
      options.putHeader("Authorization", "Bearer " + hooks.githubToken().orElseThrow())
          .putHeader("Accept", "application/vnd.github+json").putHeader("X-GitHub-Api-Version", "2022-11-28");
    } else {
      options.putHeader("PRIVATE-TOKEN", hooks.gitlabApiToken().orElseThrow());
    }
    return options;
  }

  /** {@code path} under the forge's API root ({@code GARDEN_GITHUB_API_URL}, {@code GARDEN_GITLAB_API_URL}). */
  static URI url(HookSettings hooks, TriggerKind forge, String path) {
    return CommitStatus.under(forge == TriggerKind.GITHUB ? hooks.githubApi() : hooks.gitlabApi(), path);
  }
}
