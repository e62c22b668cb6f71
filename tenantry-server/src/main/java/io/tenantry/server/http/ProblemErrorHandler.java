package io.tenantry.server.http;

import io.tenantry.api.Problem;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a body over the size limit, a malformed request line, headers too large)
 * in the API's problem+json form instead of an HTML page. Never includes a stack trace.
 */
final class ProblemErrorHandler extends ErrorHandler {
  ProblemErrorHandler() {
    setShowStacks(false);
    setShowCauses(false);
  }

  /** Every method gets a problem body, not only GET and POST. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
      Callback callback) {
    String detail = message == null || message.isBlank() ? Problems.title(code) : message;
    byte[] body = Problems.bytes(code, Problems.typeOf(code), detail, request.getHttpURI().getPath(), null);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
