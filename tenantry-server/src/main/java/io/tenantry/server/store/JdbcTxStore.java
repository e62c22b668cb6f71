package io.tenantry.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.tenantry.api.Json;
import io.tenantry.api.tx.Branch;
import io.tenantry.api.tx.BranchState;
import io.tenantry.api.tx.GlobalTransaction;
import io.tenantry.api.tx.TxEvent;
import io.tenantry.api.tx.TxMode;
import io.tenantry.api.tx.TxState;
import io.tenantry.server.trace.TraceParent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The transaction log in tables {@code tx_global}, {@code tx_branch} and {@code tx_event} (see
 * {@code V5__transactions.sql}). {@link #write} batches every statement of a group of writes into one
 * database transaction: one commit (one fsync on PostgreSQL) for all of them.
 */
final class JdbcTxStore implements TxStore {
  private static final ObjectMapper JSON = Json.newMapper();
  /** Compared with deadlines when a transition does not care about its deadline. */
  private static final Instant EPOCH = Instant.EPOCH;
  private static final int MAX_TEXT = 512;
  private static final int MAX_DETAIL = 1024;

  private static final String COLUMNS = "xid, namespace, tenant, mode, name, state, decision, reason, timeout, begun_by,"
      + " begun_at, deadline, decided_at, ended_at, branch_count, traceparent, tracestate";
  private static final String INSERT_TX = "INSERT INTO tx_global (" + COLUMNS
      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String TRANSITION = "UPDATE tx_global SET state = ?, decision = COALESCE(?, decision),"
      + " reason = COALESCE(?, reason), decided_at = COALESCE(?, decided_at), ended_at = ?"
      + " WHERE xid = ? AND state = ? AND (? < 0 OR branch_count = ?) AND deadline > ?";
  private static final String UPDATE_TX = "UPDATE tx_global SET state = ?, decision = ?, reason = ?, decided_at = ?,"
      + " ended_at = ?, branch_count = ?, events = ? WHERE xid = ?";
  private static final String INSERT_TX_WITH_EVENTS = "INSERT INTO tx_global (" + COLUMNS
      + ", events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final ObjectWriter EVENTS_WRITER = JSON.writerFor(
      JSON.getTypeFactory().constructCollectionType(List.class, TxEvent.class));
  private static final ObjectReader EVENTS_READER = JSON.readerFor(
      JSON.getTypeFactory().constructCollectionType(List.class, TxEvent.class));
  private static final String BRANCHES_TO = "UPDATE tx_branch SET state = ?, updated_at = ?,"
      + " attempts = CASE WHEN ? THEN 0 ELSE attempts END, last_error = CASE WHEN ? THEN NULL ELSE last_error END"
      + " WHERE xid = ? AND state = ?";
  private static final String BRANCH_UPDATE = "UPDATE tx_branch SET state = ?, attempts = ?, last_error = ?, updated_at = ?"
      + " WHERE xid = ? AND id = ? AND state = ?";
  private static final String INSERT_EVENT = "INSERT INTO tx_event (xid, at, kind, actor, detail) VALUES (?, ?, ?, ?, ?)";
  private static final String BRANCH_COLUMNS = "id, service, action, branch_key, instance, state, attempts, last_error,"
      + " registered_at, updated_at, data";

  /** Log writers at once on PostgreSQL: its commits (and fsyncs) overlap; a few keep the pool free for the rest. */
  static final int POSTGRES_WRITERS = 4;

  private final Jdbc jdbc;
  private final AdvisoryLock leader;
  private final int writers;

  JdbcTxStore(Jdbc jdbc, AdvisoryLock leader, boolean postgres) {
    this.jdbc = jdbc;
    this.leader = leader;
    this.writers = postgres ? POSTGRES_WRITERS : 1;
  }

  @Override
  public int writers() {
    return writers;
  }

  @Override
  public boolean lead() {
    return leader.hold();
  }

  @Override
  public List<Outcome> write(List<TxWrite> writes) {
    if (writes.isEmpty()) {
      return List.of();
    }
    try {
      return jdbc.inTransaction("write of " + writes.size() + " transaction log records", c -> writeAll(c, writes));
    } catch (StoreException e) {
      if (writes.size() == 1) {
        return List.of(new Outcome(false, e));
      }
      // one bad write (its namespace gone) must not fail the others: each on its own
      List<Outcome> outcomes = new ArrayList<>(writes.size());
      for (TxWrite w : writes) {
        try {
          outcomes.add(jdbc.inTransaction("write of the log record of " + w.xid(), c -> writeAll(c, List.of(w)).get(0)));
        } catch (StoreException one) {
          outcomes.add(new Outcome(false, one));
        }
      }
      return outcomes;
    }
  }

  /** Every write's statements, batched by kind, in an order that lets a transition's followers see its result. */
  private static List<Outcome> writeAll(Connection c, List<TxWrite> writes) throws SQLException {
    Outcome[] outcomes = new Outcome[writes.size()];
    Arrays.fill(outcomes, Outcome.APPLIED);
    List<Integer> begins = new ArrayList<>();
    List<Integer> transitions = new ArrayList<>();
    List<Integer> branchUpdates = new ArrayList<>();
    for (int i = 0; i < writes.size(); i++) {
      TxWrite w = writes.get(i);
      if (w instanceof TxWrite.AddBranch) {
        throw new IllegalArgumentException("a branch is registered with register(), not written");
      }
      (w instanceof TxWrite.Begin ? begins : w instanceof TxWrite.Transition ? transitions : branchUpdates).add(i);
    }
    if (!begins.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_TX)) {
        for (int i : begins) {
          bindBegin(ps, ((TxWrite.Begin) writes.get(i)).tx());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!transitions.isEmpty()) {
      applied(c, TRANSITION, writes, transitions, outcomes, (ps, w) -> bindTransition(ps, (TxWrite.Transition) w));
      List<TxWrite.Transition> done = transitions.stream().filter(i -> outcomes[i].applied())
          .map(i -> (TxWrite.Transition) writes.get(i)).toList();
      batch(c, BRANCHES_TO, done.stream().filter(t -> t.branchesTo() != null).toList(), (ps, t) -> {
        ps.setString(1, t.branchesTo().wire());
        Jdbc.setInstant(ps, 2, t.ended() != null ? t.ended() : t.decided() != null ? t.decided() : eventTime(t));
        ps.setBoolean(3, t.resetAttempts());
        ps.setBoolean(4, t.resetAttempts());
        ps.setString(5, t.xid());
        ps.setString(6, t.branchesFrom().wire());
      });
      batch(c, INSERT_EVENT, done.stream().filter(t -> t.event() != null).toList(), (ps, t) -> bindEvent(ps, t.xid(), t.event()));
    }
    if (!branchUpdates.isEmpty()) {
      applied(c, BRANCH_UPDATE, writes, branchUpdates, outcomes, (ps, w) -> {
        TxWrite.BranchUpdate u = (TxWrite.BranchUpdate) w;
        ps.setString(1, u.to().wire());
        ps.setInt(2, u.attempts());
        ps.setString(3, clip(u.lastError()));
        Jdbc.setInstant(ps, 4, u.at());
        ps.setString(5, u.xid());
        ps.setInt(6, u.branch());
        ps.setString(7, u.from().wire());
      });
    }
    return List.of(outcomes);
  }

  private static Instant eventTime(TxWrite.Transition t) {
    return t.event() != null ? t.event().at() : Instant.now();
  }

  @FunctionalInterface
  private interface Bind<T> {
    void bind(PreparedStatement ps, T value) throws SQLException;
  }

  private static <T> void batch(Connection c, String sql, List<T> values, Bind<T> bind) throws SQLException {
    if (values.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (T v : values) {
        bind.bind(ps, v);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Runs conditional updates as one batch and marks those that changed no row as not applied. */
  private static void applied(Connection c, String sql, List<TxWrite> writes, List<Integer> indexes, Outcome[] outcomes,
      Bind<TxWrite> bind) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i : indexes) {
        bind.bind(ps, writes.get(i));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int k = 0; k < indexes.size(); k++) {
        if (counts[k] == 0) {
          outcomes[indexes.get(k)] = Outcome.NOT_APPLIED;
        }
      }
    }
  }

  private static void bindBegin(PreparedStatement ps, StoredTx s) throws SQLException {
    GlobalTransaction t = s.tx();
    ps.setString(1, t.xid());
    ps.setString(2, t.namespace());
    ps.setString(3, t.tenant());
    ps.setString(4, t.mode().wire());
    ps.setString(5, t.name());
    ps.setString(6, t.state().wire());
    ps.setString(7, s.decision() == null ? null : s.decision().wire());
    ps.setString(8, clip(t.reason()));
    ps.setString(9, t.timeout());
    ps.setString(10, s.begunBy());
    Jdbc.setInstant(ps, 11, t.begunAt());
    Jdbc.setInstant(ps, 12, t.deadline());
    setInstantOrNull(ps, 13, t.decidedAt());
    setInstantOrNull(ps, 14, t.endedAt());
    ps.setInt(15, s.branchCount());
    ps.setString(16, s.trace() == null ? null : s.trace().header());
    ps.setString(17, s.trace() == null ? null : s.trace().traceState());
  }

  private static void bindTransition(PreparedStatement ps, TxWrite.Transition t) throws SQLException {
    ps.setString(1, t.to().wire());
    ps.setString(2, t.decision() == null ? null : t.decision().wire());
    ps.setString(3, clip(t.reason()));
    setInstantOrNull(ps, 4, t.decided());
    setInstantOrNull(ps, 5, t.ended());
    ps.setString(6, t.xid());
    ps.setString(7, t.from().wire());
    ps.setInt(8, t.expectedBranches());
    ps.setInt(9, t.expectedBranches());
    Jdbc.setInstant(ps, 10, t.deadlineAfter() == null ? EPOCH : t.deadlineAfter());
  }

  private static void bindEvent(PreparedStatement ps, String xid, TxEvent e) throws SQLException {
    ps.setString(1, xid);
    Jdbc.setInstant(ps, 2, e.at());
    ps.setString(3, e.kind());
    ps.setString(4, e.actor());
    ps.setString(5, clipped(e).detail());
  }

  private static void setInstantOrNull(PreparedStatement ps, int index, Instant at) throws SQLException {
    if (at == null) {
      ps.setObject(index, null, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      Jdbc.setInstant(ps, index, at);
    }
  }

  /** A reason or error as a column keeps it. */
  static String clip(String text) {
    return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }

  /** An event as its row keeps it. */
  static TxEvent clipped(TxEvent e) {
    return e.detail() == null || e.detail().length() <= MAX_DETAIL ? e
        : new TxEvent(e.at(), e.kind(), e.actor(), e.detail().substring(0, MAX_DETAIL));
  }

  @Override
  public BranchRegistration register(String namespace, String xid, NewBranch b, int maxBranches) {
    return jdbc.inTransaction("registration of a branch of " + xid, c -> {
      StoredTx tx;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tx_global WHERE xid = ? AND namespace = ? FOR UPDATE")) {
        ps.setString(1, xid);
        ps.setString(2, namespace);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return new BranchRegistration(BranchRegistration.Outcome.NOT_FOUND, null, null);
          }
          tx = storedTx(rs);
        }
      }
      if (!tx.tx().tenant().equals(b.tenant())) {
        return new BranchRegistration(BranchRegistration.Outcome.WRONG_TENANT, null, tx);
      }
      if (tx.state() != TxState.ACTIVE) {
        return new BranchRegistration(BranchRegistration.Outcome.NOT_ACTIVE, null, tx);
      }
      if (!b.at().isBefore(tx.tx().deadline())) {
        return new BranchRegistration(BranchRegistration.Outcome.EXPIRED, null, tx);
      }
      try (PreparedStatement ps = c.prepareStatement("SELECT " + BRANCH_COLUMNS
          + " FROM tx_branch WHERE xid = ? AND service = ? AND action = ? AND branch_key = ?")) {
        ps.setString(1, xid);
        ps.setString(2, b.service());
        ps.setString(3, b.action());
        ps.setString(4, b.key());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return new BranchRegistration(BranchRegistration.Outcome.EXISTING, branch(rs), tx);
          }
        }
      }
      if (tx.branchCount() >= maxBranches) {
        return new BranchRegistration(BranchRegistration.Outcome.TOO_MANY, null, tx);
      }
      int id = tx.branchCount() + 1;
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO tx_branch (xid, " + BRANCH_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, 0, NULL, ?, ?, ?)")) {
        ps.setString(1, xid);
        ps.setInt(2, id);
        ps.setString(3, b.service());
        ps.setString(4, b.action());
        ps.setString(5, b.key());
        ps.setString(6, b.instance());
        ps.setString(7, BranchState.REGISTERED.wire());
        Jdbc.setInstant(ps, 8, b.at());
        Jdbc.setInstant(ps, 9, b.at());
        ps.setString(10, b.data());
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE tx_global SET branch_count = ? WHERE xid = ?")) {
        ps.setInt(1, id);
        ps.setString(2, xid);
        ps.executeUpdate();
      }
      Branch created = new Branch(id, b.service(), b.action(), b.key(), b.instance(), BranchState.REGISTERED, 0, null,
          b.at(), b.at(), parse(b.data()));
      return new BranchRegistration(BranchRegistration.Outcome.CREATED, created, tx);
    });
  }

  @Override
  public Optional<StoredTx> get(String namespace, String xid) {
    return namespace == null
        ? jdbc.queryOne("SELECT " + COLUMNS + " FROM tx_global WHERE xid = ?", Jdbc.strings(xid), JdbcTxStore::storedTx)
        : jdbc.queryOne("SELECT " + COLUMNS + " FROM tx_global WHERE xid = ? AND namespace = ?", Jdbc.strings(xid, namespace),
            JdbcTxStore::storedTx);
  }

  @Override
  public List<Branch> branches(String xid) {
    return jdbc.query("SELECT " + BRANCH_COLUMNS + " FROM tx_branch WHERE xid = ? ORDER BY id", Jdbc.strings(xid),
        JdbcTxStore::branch);
  }

  @Override
  public List<TxEvent> events(String xid) {
    return storedEvents(xid).all();
  }

  @Override
  public List<StoredTx> list(String namespace, String tenant, TxState state, String before, int limit) {
    return jdbc.query("SELECT " + COLUMNS + " FROM tx_global WHERE namespace = ? AND (? IS NULL OR tenant = ?)"
        + " AND (? IS NULL OR state = ?) AND (? IS NULL OR xid < ?) ORDER BY xid DESC LIMIT ?", ps -> {
          ps.setString(1, namespace);
          ps.setString(2, tenant);
          ps.setString(3, tenant);
          String s = state == null ? null : state.wire();
          ps.setString(4, s);
          ps.setString(5, s);
          ps.setString(6, before);
          ps.setString(7, before);
          ps.setInt(8, limit);
        }, JdbcTxStore::storedTx);
  }

  @Override
  public List<StoredTx> inPhaseTwo(int limit) {
    return jdbc.query("SELECT " + COLUMNS + " FROM tx_global WHERE state IN (?, ?) ORDER BY xid LIMIT ?", ps -> {
      ps.setString(1, TxState.COMMITTING.wire());
      ps.setString(2, TxState.ROLLING_BACK.wire());
      ps.setInt(3, limit);
    }, JdbcTxStore::storedTx);
  }

  @Override
  public List<StoredTx> expired(Instant now, int limit) {
    return jdbc.query("SELECT " + COLUMNS + " FROM tx_global WHERE state = ? AND deadline < ? ORDER BY deadline LIMIT ?",
        ps -> {
          ps.setString(1, TxState.ACTIVE.wire());
          Jdbc.setInstant(ps, 2, now);
          ps.setInt(3, limit);
        }, JdbcTxStore::storedTx);
  }

  @Override
  public int purge(Instant before) {
    return jdbc.update("DELETE FROM tx_global WHERE state IN (?, ?) AND ended_at < ?", ps -> {
      ps.setString(1, TxState.COMMITTED.wire());
      ps.setString(2, TxState.ROLLED_BACK.wire());
      Jdbc.setInstant(ps, 3, before);
    });
  }

  /** Every transaction not committed or rolled back, of every namespace. */
  List<StoredTx> unfinished() {
    return jdbc.query("SELECT " + COLUMNS + " FROM tx_global WHERE state NOT IN (?, ?)", ps -> {
      ps.setString(1, TxState.COMMITTED.wire());
      ps.setString(2, TxState.ROLLED_BACK.wire());
    }, JdbcTxStore::storedTx);
  }

  /** The journal position the tables hold ({@link JournaledTxStore}). */
  long journalMark() {
    return jdbc.queryOne("SELECT applied_seq FROM tx_journal WHERE id = 1", ps -> {}, rs -> rs.getLong(1)).orElse(0L);
  }

  /**
   * Writes transactions as memory holds them (rows and branches inserted, or updated where the tables have them,
   * new events added) and the journal position {@code mark} they cover, in one database transaction.
   */
  void save(List<TxSnapshot> snapshots, long mark) {
    jdbc.inTransaction("write behind of " + snapshots.size() + " transactions", c -> {
      batch(c, INSERT_TX_WITH_EVENTS, snapshots.stream().filter(s -> !s.stored()).toList(), (ps, s) -> {
        bindBegin(ps, s.tx());
        ps.setString(18, eventsJson(s.rowEvents()));
      });
      batch(c, UPDATE_TX, snapshots.stream().filter(TxSnapshot::stored).toList(),
          (ps, s) -> bindUpdate(ps, s.tx(), eventsJson(s.rowEvents())));
      List<Object[]> newBranches = new ArrayList<>();
      List<Object[]> storedBranches = new ArrayList<>();
      for (TxSnapshot s : snapshots) {
        for (int i = 0; i < s.branches().size(); i++) {
          (i < s.branchesStored() ? storedBranches : newBranches).add(new Object[] {s.tx().xid(), s.branches().get(i)});
        }
      }
      batch(c, "INSERT INTO tx_branch (xid, " + BRANCH_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          newBranches, (ps, xb) -> bindBranch(ps, (String) xb[0], (Branch) xb[1]));
      batch(c, "UPDATE tx_branch SET state = ?, attempts = ?, last_error = ?, updated_at = ? WHERE xid = ? AND id = ?",
          storedBranches, (ps, xb) -> {
            Branch b = (Branch) xb[1];
            ps.setString(1, b.state().wire());
            ps.setInt(2, b.attempts());
            ps.setString(3, b.lastError());
            Jdbc.setInstant(ps, 4, b.updatedAt());
            ps.setString(5, (String) xb[0]);
            ps.setInt(6, b.id());
          });
      try (PreparedStatement ps = c.prepareStatement("UPDATE tx_journal SET applied_seq = ? WHERE id = 1")) {
        ps.setLong(1, mark);
        ps.executeUpdate();
      }
      return null;
    });
  }

  private static void bindUpdate(PreparedStatement ps, StoredTx s, String events) throws SQLException {
    GlobalTransaction t = s.tx();
    ps.setString(1, t.state().wire());
    ps.setString(2, s.decision() == null ? null : s.decision().wire());
    ps.setString(3, t.reason());
    setInstantOrNull(ps, 4, t.decidedAt());
    setInstantOrNull(ps, 5, t.endedAt());
    ps.setInt(6, s.branchCount());
    ps.setString(7, events);
    ps.setString(8, t.xid());
  }

  private static String eventsJson(List<TxEvent> events) {
    if (events.isEmpty()) {
      return null;
    }
    try {
      return EVENTS_WRITER.writeValueAsString(events.stream().map(JdbcTxStore::clipped).toList());
    } catch (IOException e) {
      throw new StoreException("store: cannot write the events of a transaction", e);
    }
  }

  /** A transaction's audit events: its rows of {@code tx_event}, then those kept with its row. */
  record Events(List<TxEvent> rows, List<TxEvent> inline) {
    List<TxEvent> all() {
      List<TxEvent> all = new ArrayList<>(rows);
      all.addAll(inline);
      return all;
    }
  }

  Events storedEvents(String xid) {
    List<TxEvent> rows = jdbc.query("SELECT at, kind, actor, detail FROM tx_event WHERE xid = ? ORDER BY id",
        Jdbc.strings(xid),
        rs -> new TxEvent(Jdbc.getInstant(rs, "at"), rs.getString("kind"), rs.getString("actor"), rs.getString("detail")));
    List<String> kept = jdbc.query("SELECT events FROM tx_global WHERE xid = ?", Jdbc.strings(xid), rs -> rs.getString(1));
    String inline = kept.isEmpty() ? null : kept.get(0);
    try {
      return new Events(rows, inline == null ? List.of() : EVENTS_READER.readValue(inline));
    } catch (IOException e) {
      throw new StoreException("store: the events of " + xid + " are not JSON", e);
    }
  }

  private static void bindBranch(PreparedStatement ps, String xid, Branch b) throws SQLException {
    ps.setString(1, xid);
    ps.setInt(2, b.id());
    ps.setString(3, b.service());
    ps.setString(4, b.action());
    ps.setString(5, b.key());
    ps.setString(6, b.instance());
    ps.setString(7, b.state().wire());
    ps.setInt(8, b.attempts());
    ps.setString(9, b.lastError());
    Jdbc.setInstant(ps, 10, b.registeredAt());
    Jdbc.setInstant(ps, 11, b.updatedAt());
    ps.setString(12, b.data() == null ? null : b.data().toString());
  }

  private static StoredTx storedTx(ResultSet rs) throws SQLException {
    String decision = rs.getString("decision");
    GlobalTransaction t = new GlobalTransaction(rs.getString("xid"), rs.getString("namespace"), rs.getString("tenant"),
        TxMode.of(rs.getString("mode")), rs.getString("name"), TxState.of(rs.getString("state")), rs.getString("reason"),
        rs.getString("timeout"), Jdbc.getInstant(rs, "begun_at"), Jdbc.getInstant(rs, "deadline"),
        instantOrNull(rs, "decided_at"), instantOrNull(rs, "ended_at"), null, null);
    return new StoredTx(t, decision == null ? null : TxState.of(decision), rs.getInt("branch_count"), rs.getString("begun_by"),
        TraceParent.parse(rs.getString("traceparent"), rs.getString("tracestate")));
  }

  private static Branch branch(ResultSet rs) throws SQLException {
    return new Branch(rs.getInt("id"), rs.getString("service"), rs.getString("action"), rs.getString("branch_key"),
        rs.getString("instance"), BranchState.of(rs.getString("state")), rs.getInt("attempts"), rs.getString("last_error"),
        Jdbc.getInstant(rs, "registered_at"), Jdbc.getInstant(rs, "updated_at"), parse(rs.getString("data")));
  }

  private static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column) == null ? null : Jdbc.getInstant(rs, column);
  }

  static JsonNode parse(String data) {
    if (data == null) {
      return null;
    }
    try {
      return JSON.readTree(data);
    } catch (IOException e) {
      throw new StoreException("store: branch data is not JSON", e);
    }
  }
}
