package io.tenantry.server.watch;

/** One appended change as kept for resume: its revision, what it is about, and its serialized SSE frame. */
record FeedEvent(long revision, String kind, String group, byte[] frame) {}
