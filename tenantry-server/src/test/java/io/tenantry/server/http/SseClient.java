package io.tenantry.server.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;

/** Reads a Server-Sent-Events response asynchronously (no thread per stream) into a list of events. */
final class SseClient implements Flow.Subscriber<String> {
  record Event(String id, String type, String data) {}

  final List<Event> events = new CopyOnWriteArrayList<>();
  final CompletableFuture<Void> ended = new CompletableFuture<>();
  private String id;
  private String type;
  private StringBuilder data = new StringBuilder();
  private Flow.Subscription subscription;
  CompletableFuture<HttpResponse<Void>> response;
  volatile int status;
  volatile String contentType;

  static SseClient open(HttpClient client, URI uri, Map<String, String> headers) {
    SseClient sse = new SseClient();
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
    headers.forEach(b::header);
    sse.response = client.sendAsync(b.build(), info -> {
      sse.contentType = info.headers().firstValue("Content-Type").orElse("");
      sse.status = info.statusCode();
      return HttpResponse.BodySubscribers.fromLineSubscriber(sse);
    });
    return sse;
  }

  List<String> types() {
    return events.stream().map(Event::type).toList();
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(String line) {
    if (line.isEmpty()) {
      if (type != null || data.length() > 0) {
        events.add(new Event(id, type, data.toString()));
      }
      id = null;
      type = null;
      data = new StringBuilder();
    } else if (line.startsWith("id: ")) {
      id = line.substring(4);
    } else if (line.startsWith("event: ")) {
      type = line.substring(7);
    } else if (line.startsWith("data: ")) {
      data.append(line.substring(6));
    }
  }

  @Override
  public void onError(Throwable t) {
    ended.complete(null);
  }

  @Override
  public void onComplete() {
    ended.complete(null);
  }

  void cancel() {
    if (subscription != null) {
      subscription.cancel();
    }
    response.cancel(true);
  }
}
