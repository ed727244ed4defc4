/**
 * The SQLite schema of a paper state (`replaylab paper … --state DIR` → `DIR/paper.sqlite`).
 *
 * `bars` is the source of truth: every live bar the run took, in order. Every other table is
 * derived — written in the same transaction as the step they describe, and rebuilt by nothing:
 * on a restart the run is replayed from `bars` without writing, so these rows stay as written.
 * Times are kept twice: `*_ms` (epoch ms UTC, exact) and `*time` (ISO 8601 UTC, for people).
 */

/** `PRAGMA user_version` of the schema below. */
export const STATE_SCHEMA_VERSION = 2;

/** One entry per version: the statements that take a state from the previous version to it. */
export const MIGRATIONS: readonly string[] = [
  // Version 1.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE bars (
    seq     INTEGER PRIMARY KEY,   -- order in which the run took the bar: 1, 2, …
    symbol  TEXT    NOT NULL,
    time_ms INTEGER NOT NULL,      -- bar close
    time    TEXT    NOT NULL,
    open    REAL    NOT NULL,
    high    REAL    NOT NULL,
    low     REAL    NOT NULL,
    close   REAL    NOT NULL,
    volume  REAL,                  -- NULL: none sent
    extras  TEXT,                  -- JSON object of extra columns (null = no value); NULL: none
    step    INTEGER NOT NULL,      -- the engine step that takes it (steps.step)
    UNIQUE (symbol, time_ms)
  );

  CREATE TABLE steps (
    step           INTEGER PRIMARY KEY, -- 0, 1, …: warm-up steps first
    time_ms        INTEGER NOT NULL,
    time           TEXT    NOT NULL,
    live           INTEGER NOT NULL,    -- 0: warm-up, 1: live bars
    equity         REAL    NOT NULL,    -- account equity at the step's close
    cash           REAL    NOT NULL,
    open_positions INTEGER NOT NULL
  );

  CREATE TABLE events (
    seq      INTEGER PRIMARY KEY,  -- position in the run's event log: 0, 1, …
    step     INTEGER NOT NULL,
    time_ms  INTEGER NOT NULL,
    time     TEXT    NOT NULL,
    live     INTEGER NOT NULL,
    kind     TEXT    NOT NULL,     -- OrderAccepted, OrderFilled, RiskHalted, …
    order_id INTEGER,              -- for order events (OrderFilled: the fill's order)
    json     TEXT    NOT NULL      -- the engine event as JSON
  );
  CREATE INDEX events_by_order ON events (order_id) WHERE order_id IS NOT NULL;
  CREATE INDEX events_by_kind ON events (kind, step);

  CREATE TABLE orders (
    id             INTEGER PRIMARY KEY,
    symbol         TEXT    NOT NULL,
    side           TEXT    NOT NULL, -- buy | sell
    type           TEXT    NOT NULL, -- market | limit | stop | stopLimit
    tif            TEXT    NOT NULL, -- day | gtc
    qty            REAL,             -- NULL: sized when it fills (equity fraction, close, bracket exit)
    limit_price    REAL,
    stop_price     REAL,
    tag            TEXT    NOT NULL,
    parent_id      INTEGER,          -- bracket parent
    status         TEXT    NOT NULL, -- working | filled | canceled | expired | rejected
    reason         TEXT,             -- why canceled or rejected
    filled_qty     REAL    NOT NULL DEFAULT 0,
    avg_fill_price REAL,
    created_step   INTEGER NOT NULL,
    created_ms     INTEGER NOT NULL,
    created_time   TEXT    NOT NULL,
    updated_step   INTEGER NOT NULL,
    updated_ms     INTEGER NOT NULL,
    updated_time   TEXT    NOT NULL
  );
  CREATE INDEX orders_by_status ON orders (status);

  CREATE TABLE fills (
    seq             INTEGER PRIMARY KEY, -- events.seq of its OrderFilled event
    order_id        INTEGER NOT NULL,
    symbol          TEXT    NOT NULL,
    side            TEXT    NOT NULL,
    qty             REAL    NOT NULL,
    price           REAL    NOT NULL,    -- market price, inside the bar's range
    slippage        REAL    NOT NULL,    -- per unit, adverse (paid price = price ± slippage)
    fee             REAL    NOT NULL,    -- whole fill, account currency
    tag             TEXT    NOT NULL,
    protective_stop REAL,
    step            INTEGER NOT NULL,
    time_ms         INTEGER NOT NULL,
    time            TEXT    NOT NULL
  );
  CREATE INDEX fills_by_order ON fills (order_id);

  CREATE TABLE positions (
    symbol         TEXT PRIMARY KEY,
    qty            REAL    NOT NULL, -- signed units: + long, − short
    avg_price      REAL    NOT NULL, -- volume-weighted entry price of the open lots
    mark           REAL    NOT NULL, -- last close
    multiplier     REAL    NOT NULL,
    market_value   REAL    NOT NULL, -- qty × mark × multiplier
    unrealized_pnl REAL    NOT NULL, -- net of entry fees and slippage
    initial_risk   REAL,             -- money at risk at entry (entries with a stop), else NULL
    step           INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL,
    time           TEXT    NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE risk (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    step         INTEGER NOT NULL,
    time_ms      INTEGER NOT NULL,
    time         TEXT    NOT NULL,
    halted       INTEGER NOT NULL, -- 1 while entries are blocked
    reason       TEXT,             -- the blocks' labels, e.g. "daily loss 2.1% > 2%"
    daily_r      REAL    NOT NULL, -- R of the trades closed this session
    cumulative_r REAL    NOT NULL, -- R of every trade closed in the run
    snapshot     TEXT              -- RiskManager.snapshot() as JSON; NULL without a risk block
  );

  CREATE TABLE daily_summary (
    date       TEXT PRIMARY KEY,   -- session date (UTC, shifted by sessionOffsetMs)
    live       INTEGER NOT NULL,   -- 0: warm-up session, 1: live (its last step was on live bars)
    first_step INTEGER NOT NULL,
    last_step  INTEGER NOT NULL,
    equity     REAL    NOT NULL,   -- at the session's last step
    pnl        REAL    NOT NULL,   -- equity change since the previous session's end (first: since the capital)
    r          REAL    NOT NULL,   -- R of the trades closed in the session
    trades     INTEGER NOT NULL    -- trades closed in the session
  ) WITHOUT ROWID;
  `,
  // Version 2: the alerts the run raised (with --state, whether or not --alerts is given).
  `
  CREATE TABLE alerts (
    seq     INTEGER PRIMARY KEY,   -- order raised
    step    INTEGER NOT NULL,      -- engine step of the bar it is about (-1 before the first)
    time_ms REAL,                  -- that bar's time (NULL before the first bar)
    time    TEXT,
    kind    TEXT    NOT NULL,      -- OPPORTUNITY, FILL, EXIT, WARNING, ERROR
    symbol  TEXT,
    reason  TEXT,                  -- EXIT: target, stop, time, risk, or the order tag
    message TEXT    NOT NULL,
    json    TEXT    NOT NULL       -- the whole alert
  );
  CREATE INDEX alerts_kind ON alerts (kind);
  `,
];
