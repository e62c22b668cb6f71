package io.tenantry.server.watch;

/** One subscribed stream of one namespace. Its fields are guarded by the namespace's ordering lock. */
final class Watcher {
  final String namespace;
  final WatchFilter filter;
  final WatchSink sink;
  boolean closed;

  Watcher(String namespace, WatchFilter filter, WatchSink sink) {
    this.namespace = namespace;
    this.filter = filter;
    this.sink = sink;
  }
}
