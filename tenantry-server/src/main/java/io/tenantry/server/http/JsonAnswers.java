package io.tenantry.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a route's JSON answer with the wire mapper, one way for every route that answers on the request's
 * thread. A small answer (every transaction call's) is written straight to the servlet response with its length:
 * Javalin would otherwise wrap the bytes in a stream and copy them through a fresh 8 KiB buffer and its
 * compression wrapper, for a body too small to be compressed anyway ({@link #DIRECT_MAX} is under Javalin's
 * 1,500-byte compression threshold). Larger answers go through Javalin, which compresses them for clients that
 * ask. Stateless.
 */
final class JsonAnswers {
  /** Answers up to this size are written directly: below Javalin's threshold for compressing. */
  static final int DIRECT_MAX = 1024;
  private static final String JSON = "application/json";
  private static final Logger LOG = LoggerFactory.getLogger(JsonAnswers.class);

  private JsonAnswers() {}

  static void write(Context ctx, int status, Object value) {
    byte[] bytes;
    try {
      bytes = Requests.mapper().writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
    }
    if (bytes.length > DIRECT_MAX) {
      ctx.status(status).contentType(JSON).result(bytes);
      return;
    }
    HttpServletResponse res = ctx.res();
    res.setStatus(status);
    res.setContentType(JSON);
    res.setContentLength(bytes.length);
    try {
      res.getOutputStream().write(bytes);
    } catch (IOException e) {
      // the client went away: there is nobody to answer, and nothing for the server to fix
      LOG.debug("answer of {} {} not written: {}", ctx.method(), ctx.path(), e.toString());
    }
  }
}
