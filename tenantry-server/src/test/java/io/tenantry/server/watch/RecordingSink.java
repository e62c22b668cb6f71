package io.tenantry.server.watch;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A {@link WatchSink} that keeps every frame as text, with a capacity for slow-consumer tests. */
public final class RecordingSink implements WatchSink {
  private static final Pattern EVENT = Pattern.compile("^event: (\\S+)$", Pattern.MULTILINE);
  private static final Pattern ID = Pattern.compile("^id: (\\d+)$", Pattern.MULTILINE);

  private final int capacity;
  private final List<String> frames = new ArrayList<>();
  private final List<Runnable> onClose = new ArrayList<>();
  private String finalFrame;
  private boolean closed;

  public RecordingSink() {
    this(Integer.MAX_VALUE);
  }

  public RecordingSink(int capacity) {
    this.capacity = capacity;
  }

  @Override
  public synchronized boolean offer(byte[] frame) {
    if (closed) {
      return true;
    }
    if (frames.size() >= capacity) {
      return false;
    }
    frames.add(new String(frame, StandardCharsets.UTF_8));
    return true;
  }

  @Override
  public synchronized void offerAll(List<byte[]> all) {
    all.forEach(f -> frames.add(new String(f, StandardCharsets.UTF_8)));
  }

  @Override
  public void close(byte[] last) {
    List<Runnable> actions;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      finalFrame = last == null ? null : new String(last, StandardCharsets.UTF_8);
      actions = List.copyOf(onClose);
    }
    actions.forEach(Runnable::run);
  }

  @Override
  public synchronized void onClose(Runnable action) {
    onClose.add(action);
  }

  public synchronized List<String> frames() {
    return List.copyOf(frames);
  }

  /** The {@code event:} of every frame, in order. */
  public synchronized List<String> types() {
    return frames.stream().map(f -> group(EVENT, f)).toList();
  }

  /** The {@code id:} of every frame, in order. */
  public synchronized List<Long> ids() {
    return frames.stream().map(f -> Long.parseLong(group(ID, f))).toList();
  }

  public synchronized boolean closed() {
    return closed;
  }

  public synchronized String finalFrame() {
    return finalFrame;
  }

  /** Forgets what was received so far. */
  public synchronized void clear() {
    frames.clear();
  }

  private static String group(Pattern p, String s) {
    Matcher m = p.matcher(s);
    return m.find() ? m.group(1) : null;
  }
}
