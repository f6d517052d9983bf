package io.garden.gateway.intake;

import io.vertx.ext.web.RoutingContext;

/** The principal the server authenticated for this request, as the API's routes find it. */
public final class Authenticated {

  private static final String KEY = "garden.principal";
  private static final String SECRET = "garden.principal.secret";

  private Authenticated() {
  }

  public static void set(RoutingContext ctx, Principal principal) {
    ctx.put(KEY, principal);
  }

  /**
   * @param presented the bearer credential that authenticated it: its stored hash (what every gateway sharing the
   *                  credentials holds, and no other caller knows) keys what is derived for this principal alone
   */
  public static void set(RoutingContext ctx, Principal principal, String presented) {
    ctx.put(KEY, principal);
    ctx.put(SECRET, CredentialFile.sha256(presented).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /** The principal's server-side secret (see {@link #set(RoutingContext, Principal, String)}). */
  public static byte[] secret(RoutingContext ctx) {
    byte[] secret = ctx.get(SECRET);
    if (secret == null) {
      throw new IllegalStateException("a route under /api ran without an authenticated credential");
    }
    return secret;
  }

  public static Principal principal(RoutingContext ctx) {
    Principal principal = ctx.get(KEY);
    if (principal == null) {
      throw new IllegalStateException("a route under /api ran without an authenticated principal");
    }
    return principal;
  }
}
