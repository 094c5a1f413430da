package io.github.resnetjava.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A REST path of TF Serving's API, matched with the patterns of its {@code http_rest_api_util.cc}:
 * {@code /v1/models/{name}[/versions/{v}|/labels/{l}][/metadata]} for GET and {@code
 * /v1/models/{name}[/versions/{v}|/labels/{l}]:predict|classify|regress} for POST. Names are
 * URL-decoded; versions are digits.
 *
 * @param model the model name
 * @param version the version asked for, or null for the highest one
 * @param label the version label asked for, or null
 * @param action {@code status}, {@code metadata}, {@code predict}, {@code classify} or {@code
 *     regress}
 */
record RestRoute(String model, Long version, String label, String action) {
  private static final String MODEL =
      "/v1/models/([^/:]+)(?:/versions/([0-9]{1,18})|/labels/([^/:]+))?";
  private static final Pattern GET =
      Pattern.compile(MODEL + "(/metadata)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern POST =
      Pattern.compile(MODEL + ":(predict|classify|regress)", Pattern.CASE_INSENSITIVE);

  /**
   * The route of a request.
   *
   * @throws ServingException NOT_FOUND for a path outside the API, INVALID_ARGUMENT for a model
   *     path without a name
   */
  static RestRoute parse(String method, String path) {
    boolean post = "POST".equalsIgnoreCase(method);
    Matcher matcher = (post ? POST : GET).matcher(path);
    if (!matcher.matches()) {
      if (path.equalsIgnoreCase("/v1/models") || path.equalsIgnoreCase("/v1/models/")) {
        throw ServingException.invalid("Missing model name in request.");
      }
      throw ServingException.notFound(
          "Malformed request: "
              + method
              + " "
              + path
              + " (the API is GET /v1/models/{name}[/versions/{v}][/metadata] and POST"
              + " /v1/models/{name}[/versions/{v}]:predict)");
    }
    String action =
        post
            ? matcher.group(4).toLowerCase(java.util.Locale.ROOT)
            : matcher.group(4) != null ? "metadata" : "status";
    return new RestRoute(
        decode(matcher.group(1)),
        matcher.group(2) == null ? null : Long.parseLong(matcher.group(2)),
        matcher.group(3) == null ? null : decode(matcher.group(3)),
        action);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }
}
