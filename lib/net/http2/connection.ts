/**
 * One HTTP/2 connection's cycle (`--http2`, RFC 9113): the same {@linkcode ConnectionCycle} as HTTP/1.1's
 * (`../http1/connection.ts`), over the same transports, request source, response sink and counters, with up to
 * `--streams` batches of requests in flight at once as concurrent streams. With `-R`, the connection has
 * `--streams` lanes, each with its own plan ({@linkcode Pacer}) and one batch in flight, as wrk2 would run that
 * many connections (docs/wrk-compat.md, "Pacing").
 *
 * A batch is what one `nextRequest()` returns (wrk.format's HTTP/1.1 bytes: one request, or several pipelined),
 * translated into HTTP/2 requests once per distinct batch (`request_translation.ts`) and HPACK-encoded once
 * (the encoder never uses the dynamic table, so one block serves every send). Its latency runs from its HEADERS
 * to the end of its last response, as a pipelined batch's does in HTTP/1.1.
 *
 * The protocol: the preface and SETTINGS exchange, HEADERS and CONTINUATION decoded with HPACK (every block,
 * even of a stream we gave up, so the decoder's table stays in step; a lower SETTINGS_HEADER_TABLE_SIZE is
 * acknowledged by a size update opening our next block), DATA with both levels of flow control (our windows
 * are replenished with WINDOW_UPDATE as bytes arrive; request bodies wait for the server's), PING answered,
 * SETTINGS applied, RST_STREAM and GOAWAY counted as read errors with their codes as reasons (GOAWAY's NO_ERROR
 * is a graceful close: the streams below its last id finish, then the connection is replaced; another code
 * fails each request in flight once and replaces the connection at once), REFUSED_STREAM sent again whole,
 * 1xx responses skipped, trailers read. A response that arrives before its request body is all sent ends the
 * stream with RST_STREAM NO_ERROR (RFC 9113 §8.1). A protocol error on the connection is a read error, a GOAWAY
 * with its code (PROTOCOL_ERROR, COMPRESSION_ERROR, FRAME_SIZE_ERROR, FLOW_CONTROL_ERROR) and a new connection,
 * never an exception: a misbehaving server cannot end or hang the run.
 *
 * Frames are written to one reusable buffer and flushed once per event (a read, a connect, a timer): one socket
 * write for everything a read caused. Request bodies add no DATA while `MAX_QUEUED_OUTPUT_BYTES` wait for the
 * socket, and go on as it drains: a server that stops reading holds a bounded amount of memory.
 *
 * @module
 */
import { clockMs } from "../clock.ts";
import { ConnectionSlot } from "../connection_slot.ts";
import { closeQuietly, type ConnectionCycle, type CycleContext, laterMacrotask } from "../cycle.ts";
import { errorReason } from "../error_reason.ts";
import type { Pacer } from "../pacer.ts";
import type { ResponseSink, ResponseView } from "../request_source.ts";
import { type Cancel, READ_FAILED, type Socket } from "../socket.ts";
import {
  CLIENT_PREFACE,
  DEFAULT_MAX_FRAME_BYTES,
  DEFAULT_WINDOW_BYTES,
  ErrorCode,
  errorCodeName,
  Flag,
  FRAME_HEADER_BYTES,
  frameLength,
  FrameType,
  FrameWriter,
  MAX_WINDOW_BYTES,
  readUint32,
  Setting,
} from "./frames.ts";
import { HeaderList, HpackDecoder, HpackEncoder, HpackError } from "./hpack.ts";
import { type H2Request, RequestTranslationError, RequestTranslator } from "./request_translation.ts";

/** How the HTTP/2 cycle runs: the URL's scheme (`:scheme`) and `--streams`. */
export interface Http2Options {
  readonly scheme: "http" | "https";
  /** Batches in flight at once on the connection (further capped by the server's MAX_CONCURRENT_STREAMS). */
  readonly streams: number;
}

/** Reads land here: a full frame of the default size and its header (a larger read spans several). */
const READ_BUFFER_BYTES = 16 * 1024 + 9;

/** What a stream may receive before we open its window again: 1 MiB, replenished at half (§6.9). */
const STREAM_WINDOW_BYTES = 1 << 20;
/** The connection's receive window: 16 MiB, replenished at half. */
const CONNECTION_WINDOW_BYTES = 16 << 20;

/** Header blocks larger than this are refused (a server sending endless CONTINUATION frames). */
const MAX_HEADER_BLOCK_BYTES = 256 * 1024;

/** A stream the server refused (REFUSED_STREAM: not processed) goes again, at most this many times. */
const MAX_REFUSALS = 3;

/**
 * Request bodies stop adding DATA to the output once this much waits for the socket, and go on as it drains: a
 * server that stops reading while it grants a window of 2^31-1 would otherwise have every body copied into
 * memory, without bound.
 */
const MAX_QUEUED_OUTPUT_BYTES = 256 * 1024;

/**
 * Acknowledgements (of PING and SETTINGS) stop being queued once this many bytes of them wait since the last
 * write the server took: the connection then fails with ENHANCE_YOUR_CALM, as nghttp2 drops a peer that floods
 * them (each PING asks for one, and without a bound they would fill memory for as long as the run lasts).
 */
const MAX_QUEUED_ACK_BYTES = 4 * MAX_QUEUED_OUTPUT_BYTES;

/** The HPACK dynamic table size a decoder assumes until SETTINGS_HEADER_TABLE_SIZE says otherwise (RFC 7541). */
const DEFAULT_HEADER_TABLE_BYTES = 4096;

/** Stream ids are 31-bit: near the end, the connection is replaced. */
const LAST_STREAM_ID = 2 ** 31 - 1;

/** Our SETTINGS: no server push, our stream window, the default frame size. */
const CLIENT_SETTINGS: readonly (readonly [number, number])[] = [
  [Setting.ENABLE_PUSH, 0],
  [Setting.INITIAL_WINDOW_SIZE, STREAM_WINDOW_BYTES],
  [Setting.MAX_FRAME_SIZE, DEFAULT_MAX_FRAME_BYTES],
];

/** One `nextRequest()`'s requests in flight. */
interface Batch {
  /**
   * `clockMs()` when its first stream opened (its HEADERS went out): where its uncorrected latency and its
   * `--timeout` count from. A batch waiting in `#queue` for a stream the server allows (`-R`) has not been sent.
   */
  sinceMs: number;
  /** A stream of it opened: `sinceMs` is set. */
  sent: boolean;
  /** With `-R`: where its recorded latency starts (`Pacer.latencyOriginMs`). */
  plannedMs: number;
  /** With `-R`: the plan of the lane it was sent on, free again when the batch ends; null for the closed loop. */
  lane: Pacer | null;
  /** Streams not yet complete. */
  pending: number;
  /** A stream of it failed (reset, timed out): no latency sample. */
  failed: boolean;
  /** With `-R`: it has counted its `timeout` (it stays awaited, and is recorded when answered). */
  timedOut: boolean;
  /** With `-R`: timed out, it failed again since (`ThreadCounters.errorsAfterTimeout`, once a batch). */
  failedAfterTimeout: boolean;
}

/** A request stream. Reused from a pool: `active` says whether it is in use. */
class Stream {
  id = 0;
  active = false;
  batch: Batch | null = null;
  /** The request, its encoded header block and its body still to send. */
  request: H2Request | null = null;
  bodySent = 0;
  /** HEADERS queued: waiting for a stream slot under the server's MAX_CONCURRENT_STREAMS. */
  opened = false;
  /** What the server's window lets us send on this stream. */
  sendWindow = 0;
  /** Received DATA bytes not yet given back with WINDOW_UPDATE. */
  unacknowledged = 0;
  /** The final (non-1xx) status, 0 until its HEADERS. */
  status = 0;
  /** The response's header fields and body, kept only for a response sink (null until one needs them). */
  headers: HeaderList | null = null;
  body = new Uint8Array(0);
  bodyLength = 0;
  /** `clockMs()` when its HEADERS went out (for the timeout). */
  sinceMs = 0;
  /** Times the server refused it (REFUSED_STREAM) before processing it. */
  refusals = 0;
  /** In `#blocked`: its body waits for the server's window, or for the output to drain. */
  blocked = false;

  reset(): void {
    this.id = 0;
    this.active = false;
    this.batch = null;
    this.request = null;
    this.bodySent = 0;
    this.opened = false;
    this.status = 0;
    this.bodyLength = 0;
    this.unacknowledged = 0;
    this.refusals = 0;
    this.blocked = false;
    this.headers?.reset();
  }
}

/**
 * A slot's wait for its time (a delay() or `-R`'s plan), with its callback made once: reused from wait to wait,
 * so a paced batch allocates no closure, as HTTP/1.1's cycle waits with one bound callback.
 */
class SlotWait {
  /** The connection's generation when it was scheduled: a wait of a dropped socket does nothing. */
  generation = 0;
  timer: Cancel | null = null;
  /** With `-R`: the lane waiting for its slot; null for a delay(). */
  lane: Pacer | null = null;
  readonly fire: () => void;

  constructor(onFire: (wait: SlotWait) => void) {
    this.fire = () => onFire(this);
  }
}

/** A response as the sink sees it: a stream's status, header fields and body. */
class StreamResponse implements ResponseView {
  status = 0;
  headerCount = 0;
  head: Uint8Array = new Uint8Array(0);
  nameStart: Int32Array = new Int32Array(0);
  nameEnd: Int32Array = new Int32Array(0);
  valueStart: Int32Array = new Int32Array(0);
  valueEnd: Int32Array = new Int32Array(0);
  /** Not known: HPACK-decoded fields are not compared as a head. */
  readonly headVersion = 0;
  body: Uint8Array = new Uint8Array(0);
  bodyLength = 0;
}

/** An HTTP/2 connection slot that reconnects as needed until the thread stops. */
export class Http2Connection implements ConnectionCycle {
  readonly #context: CycleContext;
  /** With `-R`: every lane's plan (`--streams` of them), kept over reconnects; null for the closed loop. */
  readonly #lanes: readonly Pacer[] | null;
  /** With `-R`: the lanes with no batch in flight and no wait for their slot. */
  readonly #idleLanes: Pacer[];
  /** Without `-R`: `--streams`, the batches in flight (or waiting for a delay()) at once. */
  readonly #maxBatches: number;
  readonly #translator: RequestTranslator;
  readonly #encoder = new HpackEncoder();
  /** Connects and reconnects: the lifecycle HTTP/1.1's cycle shares. */
  readonly #slot: ConnectionSlot<this>;
  readonly #timeoutUs: number;
  /** With `-R` and pipelined batches (and no `-B`): a latency sample per response, as wrk2 records them. */
  readonly #samplePerResponse: boolean;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #response = new StreamResponse();

  /** The open connection (its preface sent); null while connecting or waiting to. */
  #conn: Socket | null = null;
  /** The socket's generation (`ConnectionSlot.drop()` gives the next): a late callback of an old one is ignored. */
  #generation = 0;
  #closed = false;
  #inRequestHook = false;

  // Per connection, reset by #onConnected.
  #decoder = new HpackDecoder();
  /** Where header blocks nobody keeps are decoded: trailers, a dead stream's, any response's without a sink. */
  readonly #scratch = new HeaderList();
  #nextStreamId = 1;
  #streams = new Map<number, Stream>();
  readonly #pool: Stream[] = [];
  readonly #batchPool: Batch[] = [];
  /** Streams whose HEADERS wait for a slot, in order. */
  #queue: Stream[] = [];
  /** Streams open (HEADERS sent, not complete). */
  #open = 0;
  /** Batches in flight or queued. */
  #batches = 0;
  /** Slots waiting for a delay() or a `-R` slot. */
  #waiting = 0;
  /**
   * The server's SETTINGS_MAX_CONCURRENT_STREAMS. Until its first SETTINGS arrives, one stream: a server
   * whose limit is lower than `--streams` would otherwise refuse the streams opened in between.
   */
  #peerMaxStreams = 1;
  #peerInitialWindow = DEFAULT_WINDOW_BYTES;
  #peerMaxFrame = DEFAULT_MAX_FRAME_BYTES;
  #peerSettingsSeen = false;
  #sendWindow = DEFAULT_WINDOW_BYTES;
  #unacknowledged = 0;
  /** Responses completed on this connection (a GOAWAY before any is a refusal, not a graceful close). */
  #answered = 0;
  /** GOAWAY received: no new streams; replace the connection once the open ones finish. */
  #goingAway = false;
  /**
   * That GOAWAY was a graceful close (NO_ERROR after answers: nginx's keepalive_requests), whose replacement
   * connects at once; after a refusal or an error code it waits a macrotask (`#reconnect`).
   */
  #goneAwayGracefully = false;
  /** Streams with a request body waiting for window, or for the output to drain (`MAX_QUEUED_OUTPUT_BYTES`). */
  #blocked: Stream[] = [];
  /**
   * The dynamic table size the server's HPACK decoder holds for our blocks: 4096, or the lowest
   * SETTINGS_HEADER_TABLE_SIZE it sent since (our encoder uses no table, so it never grows it back).
   */
  #encoderTableBytes = DEFAULT_HEADER_TABLE_BYTES;
  /**
   * The server lowered SETTINGS_HEADER_TABLE_SIZE and we acknowledged it: our next header block must open with a
   * dynamic table size update (RFC 7541 §4.2), or the server's decoder fails the connection (nghttp2, and so
   * Node and h2o, answer GOAWAY COMPRESSION_ERROR).
   */
  #tableSizeUpdatePending = false;
  /** A header block being assembled from HEADERS and CONTINUATION frames. */
  #blockStream = 0;
  #blockFlags = 0;
  #block = new Uint8Array(4096);
  #blockLength = 0;
  /** Bytes of a frame that did not fit in one read. */
  #partial = new Uint8Array(FRAME_HEADER_BYTES + DEFAULT_MAX_FRAME_BYTES);
  #partialLength = 0;
  /** Bytes of PING and SETTINGS acknowledgements queued since the last write completed (`MAX_QUEUED_ACK_BYTES`). */
  #ackBytes = 0;
  /** Double-buffered output: `#out` takes frames while `#writing` is on its way to the socket. */
  #out = new FrameWriter();
  #spare = new FrameWriter();
  #writePending = false;
  /** Slots waiting for their time (`#waiting` of them in this generation), and spare waits to reuse. */
  readonly #activeWaits = new Set<SlotWait>();
  readonly #idleWaits: SlotWait[] = [];
  /**
   * A `clockMs()` reading taken during the current event (a response completed, a batch started), or -1: the
   * batches and streams the event starts share it, as HTTP/1.1's next request starts at its previous one's end
   * when no hook runs in between (`RequestSource.dynamic`). One clock read per request instead of three.
   */
  #eventMs = -1;
  /** Why the connection failed, for the read error counted. */
  #failure = "";
  /** The error code of the GOAWAY we send for that failure (RFC 9113 §7), or -1 when we send none. */
  #failureCode = -1;

  /**
   * `lanes`: with `-R`, the plans of the connection's lanes, one batch in flight on each (thread_loop.ts builds
   * `--streams` of them); null for the closed loop, which keeps `options.streams` batches in flight.
   */
  constructor(context: CycleContext, lanes: readonly Pacer[] | null, options: Http2Options) {
    this.#context = context;
    this.#lanes = lanes;
    this.#idleLanes = lanes === null ? [] : [...lanes];
    this.#maxBatches = Math.max(1, options.streams);
    this.#translator = new RequestTranslator();
    this.#scheme = options.scheme;
    this.#slot = new ConnectionSlot(
      context,
      this,
      this.#onConnected,
      lanes === null ? null : (nowMs) => nextSlotOfAny(lanes, nowMs),
    );
    this.#timeoutUs = context.timeoutMs * 1000;
    this.#samplePerResponse = context.pacing?.perResponse === true && context.source.pipelineDepth > 1;
  }

  readonly #scheme: "http" | "https";

  start(): void {
    this.#slot.connect();
  }

  expire(nowMs: number): void {
    this.#eventMs = -1;
    if (this.#slot.connectTimedOut(nowMs)) {
      this.#reconnect();
      return;
    }
    if (this.#conn === null) return;
    const timeoutMs = this.#context.timeoutMs;
    if (this.#context.pacing !== null) {
      this.#countLate(nowMs, timeoutMs);
      return;
    }
    let expired = false;
    for (const stream of this.#streams.values()) {
      if (!stream.active || nowMs - stream.sinceMs < timeoutMs) continue;
      // The stream is given up, the connection kept: other streams may be fine.
      this.#resetStream(stream, "timeout", "no response within --timeout", ErrorCode.CANCEL);
      expired = true;
    }
    // Queued streams never got a slot: the server holds every stream open.
    for (const stream of this.#queue) {
      if (nowMs - stream.sinceMs < timeoutMs) continue;
      this.#context.counters.countError("timeout", "no stream slot within --timeout");
      stream.batch!.failed = true;
      expired = true;
    }
    if (expired) {
      this.#queue = this.#queue.filter((stream) => {
        if (nowMs - stream.sinceMs < timeoutMs) return true;
        this.#finishStream(stream, false);
        return false;
      });
      this.#afterEvent();
    }
  }

  /** A stream error: counted with its reason, the stream reset with `code` and finished; the connection goes on. */
  #resetStream(stream: Stream, category: "read" | "timeout", reason: string, code: number): void {
    this.#context.counters.countError(category, reason);
    if (stream.batch?.timedOut) this.#failAfterTimeout(stream.batch);
    this.#out.rstStream(stream.id, code);
    this.#finishStream(stream, false);
  }

  /** With `-R`: `batch`, which counted its timeout, has failed too: one attempt, two errors (once a batch). */
  #failAfterTimeout(batch: Batch): void {
    if (batch.failedAfterTimeout) return;
    batch.failedAfterTimeout = true;
    this.#context.counters.errorsAfterTimeout++;
  }

  /**
   * The connection is lost with its requests, for `reason`: a read error for each in flight or waiting for a
   * stream (one when there is none: with -R each was counted sent), and those that had counted their timeout
   * have failed twice.
   */
  #countLost(reason: string): void {
    this.#context.counters.countError("read", reason, Math.max(1, this.#open + this.#queue.length));
    for (const stream of this.#streams.values()) {
      if (stream.active && stream.batch?.timedOut) this.#failAfterTimeout(stream.batch);
    }
    for (const stream of this.#queue) if (stream.batch?.timedOut) this.#failAfterTimeout(stream.batch);
  }

  /**
   * `-R`, as wrk2: a batch past `--timeout`, sent or waiting for a stream slot, counts one timeout and stays
   * awaited, so that its latency, however late, is in the figures (the tail a slow server causes).
   */
  #countLate(nowMs: number, timeoutMs: number): void {
    const counters = this.#context.counters;
    for (const stream of this.#streams.values()) {
      const batch = stream.batch;
      if (!stream.active || batch === null || batch.timedOut || nowMs - stream.sinceMs < timeoutMs) continue;
      counters.countError("timeout", "no response within --timeout");
      batch.timedOut = true;
    }
    for (const stream of this.#queue) {
      const batch = stream.batch!;
      if (batch.timedOut || nowMs - stream.sinceMs < timeoutMs) continue;
      counters.countError("timeout", "no stream slot within --timeout");
      batch.timedOut = true;
    }
  }

  /**
   * With `-R`, at the stop: each batch taken from a lane's plan and unanswered (on open streams, or queued for a
   * stream slot), once per sample its answer would have given; a batch with a failed stream gives none.
   */
  forEachUnanswered(visit: (plannedMs: number, sentMs: number) => void): void {
    if (this.#lanes === null) return;
    const seen = new Set<Batch>();
    const streams = [...this.#streams.values(), ...this.#queue];
    for (const stream of streams) {
      const batch = stream.batch;
      if (batch === null || batch.failed || (!this.#samplePerResponse && seen.has(batch))) continue;
      seen.add(batch);
      visit(batch.plannedMs, batch.sent ? batch.sinceMs : NaN);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#slot.close();
    if (this.#inRequestHook) return;
    this.#drop();
  }

  /** A socket of the current generation, still wanted (`ConnectionSlot`): the preface and SETTINGS go out. */
  #onConnected(conn: Socket, generation: number): void {
    if (this.#scheme === "https" && conn.alpnProtocol !== "h2") {
      closeQuietly(conn);
      this.#slot.retry("server did not negotiate h2 (ALPN)");
      return;
    }
    this.#conn = conn;
    this.#decoder = new HpackDecoder();
    this.#nextStreamId = 1;
    this.#peerMaxStreams = 1;
    this.#peerSettingsSeen = false;
    this.#peerInitialWindow = DEFAULT_WINDOW_BYTES;
    this.#peerMaxFrame = DEFAULT_MAX_FRAME_BYTES;
    this.#sendWindow = DEFAULT_WINDOW_BYTES;
    this.#unacknowledged = 0;
    this.#goingAway = false;
    this.#goneAwayGracefully = false;
    this.#answered = 0;
    this.#blockStream = 0;
    this.#blockLength = 0;
    this.#partialLength = 0;
    this.#encoderTableBytes = DEFAULT_HEADER_TABLE_BYTES;
    this.#tableSizeUpdatePending = false;
    const out = this.#out;
    out.payload(CLIENT_PREFACE);
    out.settings(CLIENT_SETTINGS);
    out.windowUpdate(0, CONNECTION_WINDOW_BYTES - DEFAULT_WINDOW_BYTES);
    conn.startReading(this.#buffer, (n) => this.#onRead(n, generation));
    if (generation !== this.#generation) return;
    this.#afterEvent();
  }

  /** After every event: start batches into free slots, open queued streams, flush the frames. */
  #afterEvent(): void {
    if (this.#conn !== null && !this.#closed && !this.#context.state.stopped) {
      if (!this.#goingAway) this.#fill();
      this.#openQueued();
      if (this.#goingAway && this.#open === 0 && this.#queue.length === 0) {
        // Every stream the server said it would process has finished: a new connection for the next ones, at
        // once after a graceful close.
        if (this.#goneAwayGracefully) {
          this.#drop();
          this.#slot.connect();
        } else {
          this.#reconnect();
        }
        return;
      }
    }
    this.#eventMs = -1;
    this.#flush();
  }

  /**
   * Starts batches until `--streams` are in flight (or waiting for their time), and no more than the server's
   * MAX_CONCURRENT_STREAMS lets open now: a batch's latency counts from its start, and one that waited in
   * `#queue` for a stream would have counted the client's own wait (`--streams 1000` against nginx's 128:
   * 5 ms where h2load reads 1 ms). With a limit of 0 one batch still waits, and times out if no stream comes.
   * With `-R`, one batch on every idle lane whose slot is due, and a wait for the slot of each other idle lane.
   */
  #fill(): void {
    if (this.#lanes !== null) {
      this.#fillLanes();
      return;
    }
    while (
      this.#batches + this.#waiting < this.#maxBatches && this.#conn !== null && !this.#closed &&
      (this.#peerMaxStreams === 0
        ? this.#queue.length === 0
        : this.#open + this.#queue.length < this.#peerMaxStreams)
    ) {
      const source = this.#context.source;
      if (source.delayMs !== null) {
        let delayMs: number;
        try {
          delayMs = source.delayMs();
        } catch (error) {
          this.#scriptFailed(error);
          return;
        }
        if (delayMs > 0) {
          this.#wait(delayMs, null);
          continue;
        }
      }
      if (!this.#startBatch(null)) return;
    }
  }

  /**
   * `-R`: each idle lane sends when its plan says, as a wrk2 connection does. A lane beyond the server's
   * MAX_CONCURRENT_STREAMS still starts its batch at its slot; the batch waits in `#queue` for a free stream,
   * and that wait is in its recorded latency, which runs from the slot (and makes the lane's next batch late
   * when it lasts), not in its uncorrected latency, which runs from its first HEADERS (`Batch.sinceMs`).
   */
  #fillLanes(): void {
    const idle = this.#idleLanes;
    while (idle.length > 0 && this.#conn !== null && !this.#closed) {
      const lane = idle.pop()!;
      const nowMs = clockMs();
      const dueMs = lane.dueMs(nowMs);
      if (dueMs > nowMs) {
        this.#wait(dueMs - nowMs, lane);
        continue;
      }
      if (!this.#startBatch(lane)) {
        // The run stopped or the script failed: the lane is idle, whatever comes next.
        if (!this.#closed) idle.push(lane);
        return;
      }
    }
  }

  /** A slot waits `waitMs` (a delay(), or `lane`'s plan with `-R`), then starts its batch. */
  #wait(waitMs: number, lane: Pacer | null): void {
    this.#waiting++;
    const wait = this.#idleWaits.pop() ?? new SlotWait(this.#onWaited);
    wait.generation = this.#generation;
    wait.lane = lane;
    this.#activeWaits.add(wait);
    wait.timer = this.#context.transport.delay?.(waitMs, wait.fire) ?? laterMacrotask(waitMs, wait.fire);
  }

  readonly #onWaited = (wait: SlotWait): void => {
    const lane = wait.lane;
    this.#activeWaits.delete(wait);
    wait.timer = null;
    wait.lane = null;
    this.#idleWaits.push(wait);
    // A dropped socket's wait: #drop made every lane idle again.
    if (wait.generation !== this.#generation || this.#closed) return;
    this.#waiting--;
    this.#eventMs = -1;
    if (this.#conn === null || this.#goingAway) {
      // No new streams here: the lane sends on the next connection.
      if (lane !== null) this.#idleLanes.push(lane);
      return;
    }
    if (this.#startBatch(lane)) this.#afterEvent();
    else if (lane !== null && !this.#closed) this.#idleLanes.push(lane);
  };

  /**
   * Asks the source for a batch and queues its streams, on `lane` with `-R`; false when the script failed or the
   * run stopped.
   */
  #startBatch(lane: Pacer | null): boolean {
    const context = this.#context;
    if (context.state.stopped) return false;
    let requests: readonly H2Request[];
    this.#inRequestHook = true;
    try {
      requests = this.#translator.translate(context.source.nextRequest(), this.#scheme);
    } catch (error) {
      this.#inRequestHook = false;
      // A request the script made that HTTP/2 cannot carry: say whose. (The command line's own request, without
      // a script, was checked before the run: preflight's checkStaticHttp2Request.)
      this.#scriptFailed(
        error instanceof RequestTranslationError
          ? new Error(
            `${
              context.source.origin ?? "the request"
            } returned an invalid HTTP request for HTTP/2: ${error.message}`,
            { cause: error },
          )
          : error,
      );
      return false;
    }
    this.#inRequestHook = false;
    if (this.#closed) {
      this.#drop();
      return false;
    }
    const eventMs = this.#eventMs;
    // The event's time serves when no hook ran since it was read (`#complete` reads it after response()).
    const nowMs = eventMs >= 0 && !context.source.dynamic ? eventMs : clockMs();
    this.#eventMs = nowMs;
    // Hooks may have held the loop past the thread's end (its timer waits for them): the batch is not sent.
    if (nowMs >= context.deadline.atMs && context.deadline.passed()) return false;
    // Batches are reused: nothing is allocated per request once the pools have grown to --streams.
    const batch = this.#batchPool.pop() ??
      {
        sinceMs: 0,
        sent: false,
        plannedMs: 0,
        lane: null,
        pending: 0,
        failed: false,
        timedOut: false,
        failedAfterTimeout: false,
      };
    batch.sinceMs = nowMs;
    batch.sent = false;
    batch.plannedMs = nowMs;
    batch.lane = lane;
    batch.pending = requests.length;
    batch.failed = false;
    batch.timedOut = false;
    batch.failedAfterTimeout = false;
    if (lane !== null) {
      batch.plannedMs = lane.latencyOriginMs(nowMs);
      lane.sent(requests.length);
    }
    this.#batches++;
    for (const request of requests) {
      const stream = this.#pool.pop() ?? new Stream();
      stream.active = true;
      stream.batch = batch;
      stream.request = request;
      // Encoded once per translation: a static request's block is reused for every send.
      request.block ??= this.#encoder.encodeHeaderBlock(request.headers);
      stream.sinceMs = nowMs;
      this.#queue.push(stream);
    }
    return true;
  }

  /** Opens queued streams while the server allows more. */
  #openQueued(): void {
    const queue = this.#queue;
    if (queue.length === 0) return;
    const nowMs = this.#eventMs >= 0 ? this.#eventMs : clockMs();
    let taken = 0;
    while (taken < queue.length && this.#open < this.#peerMaxStreams && !this.#goingAway) {
      const stream = queue[taken++];
      if (this.#nextStreamId > LAST_STREAM_ID) {
        // Ids ran out: finish this connection like a GOAWAY.
        this.#goingAway = true;
        taken--;
        break;
      }
      stream.id = this.#nextStreamId;
      this.#nextStreamId += 2;
      stream.opened = true;
      stream.sinceMs = nowMs;
      const batch = stream.batch!;
      if (!batch.sent) {
        batch.sent = true;
        batch.sinceMs = nowMs;
      }
      stream.sendWindow = this.#peerInitialWindow;
      this.#streams.set(stream.id, stream);
      this.#open++;
      const body = stream.request!.body;
      let block = stream.request!.block!;
      if (this.#tableSizeUpdatePending) {
        // The first block after our ACK of a lower SETTINGS_HEADER_TABLE_SIZE: once per change, so a copy.
        this.#tableSizeUpdatePending = false;
        const update = this.#encoder.tableSizeUpdate(this.#encoderTableBytes);
        const opened = new Uint8Array(update.length + block.length);
        opened.set(update);
        opened.set(block, update.length);
        block = opened;
      }
      this.#out.headers(stream.id, block, body === null || body.length === 0, this.#peerMaxFrame);
      if (body !== null && body.length > 0) this.#sendBody(stream);
    }
    // Usually every queued stream went out: emptied in place, without splice's array of the removed.
    if (taken === queue.length) queue.length = 0;
    else if (taken > 0) queue.splice(0, taken);
  }

  /**
   * Sends as much of the stream's request body as the windows allow and the output takes; the rest waits for
   * WINDOW_UPDATE, or for the pending write to drain (`#flush` resumes it).
   */
  #sendBody(stream: Stream): boolean {
    const body = stream.request!.body!;
    while (stream.bodySent < body.length) {
      const room = Math.min(this.#sendWindow, stream.sendWindow, this.#peerMaxFrame);
      if (room <= 0 || this.#out.length >= MAX_QUEUED_OUTPUT_BYTES) {
        if (!stream.blocked) {
          stream.blocked = true;
          this.#blocked.push(stream);
        }
        return false;
      }
      const end = Math.min(body.length, stream.bodySent + room);
      this.#out.data(stream.id, body, stream.bodySent, end, end === body.length);
      this.#sendWindow -= end - stream.bodySent;
      stream.sendWindow -= end - stream.bodySent;
      stream.bodySent = end;
    }
    return true;
  }

  /** The stream no longer waits to send its body (it was reset, refused or answered). */
  #leaveBlocked(stream: Stream): void {
    if (!stream.blocked) return;
    stream.blocked = false;
    this.#blocked.splice(this.#blocked.indexOf(stream), 1);
  }

  #unblock(): void {
    const blocked = this.#blocked;
    if (blocked.length === 0) return;
    // Compacted in place: this runs after every write while bodies wait, and allocates nothing.
    let kept = 0;
    for (let i = 0; i < blocked.length; i++) {
      const stream = blocked[i];
      stream.blocked = !this.#sendBody(stream);
      if (stream.blocked) blocked[kept++] = stream;
    }
    blocked.length = kept;
  }

  /**
   * Writes the frames gathered so far: one write; frames gathered meanwhile go in the next. A write the socket
   * takes at once lets held-back bodies add their next part (`#sendBody`), written in the same loop.
   */
  #flush(): void {
    for (;;) {
      const conn = this.#conn;
      if (conn === null || this.#writePending || this.#out.length === 0) return;
      const writer = this.#out;
      this.#out = this.#spare;
      this.#spare = writer;
      const bytes = writer.bytes();
      const generation = this.#generation;
      this.#writePending = true;
      if (conn.writeNow === undefined) {
        this.#writeRest(conn, bytes, 0, generation, writer);
        return;
      }
      let written: number;
      try {
        written = conn.writeNow(bytes);
      } catch (error) {
        this.#writeFailed(generation, error);
        return;
      }
      if (written !== bytes.length) {
        this.#writeRest(conn, bytes, written, generation, writer);
        return;
      }
      // Written whole at once: the loop writes what the bodies let go meanwhile.
      this.#written(writer);
    }
  }

  async #writeRest(
    conn: Socket,
    bytes: Uint8Array,
    written: number,
    generation: number,
    writer: FrameWriter,
  ): Promise<void> {
    try {
      while (written < bytes.length) {
        written += await conn.write(bytes.subarray(written));
        if (generation !== this.#generation) return;
      }
    } catch (error) {
      this.#writeFailed(generation, error);
      return;
    }
    // A write that ends after its socket was replaced says nothing about the new one's.
    if (generation === this.#generation) this.#writeDone(writer);
  }

  #writeDone(writer: FrameWriter): void {
    this.#written(writer);
    this.#flush();
  }

  /** `writer`'s bytes are out: it is free again, and bodies held back while the write was pending go on. */
  #written(writer: FrameWriter): void {
    writer.clear();
    this.#writePending = false;
    // The server reads: the acknowledgements it asked for so far are no flood.
    this.#ackBytes = 0;
    this.#unblock();
  }

  #writeFailed(generation: number, error: unknown): void {
    if (generation !== this.#generation) return;
    this.#writePending = false;
    if (this.#closed || this.#context.state.stopped) return;
    this.#context.counters.countError("write", errorReason(error));
    this.#reconnect();
  }

  #onRead(n: number, generation: number): void {
    const context = this.#context;
    this.#eventMs = -1;
    if (generation !== this.#generation || this.#closed || context.state.stopped) return;
    let ok: boolean;
    try {
      ok = n > 0 && this.#consume(n, generation);
      if (n === READ_FAILED) this.#failure = this.#conn?.readFailure ?? "read failed";
      else if (n === 0) {
        this.#failure = this.#open > 0 || this.#queue.length > 0 ? "closed with streams open" : "";
      }
    } catch (error) {
      // Thrown by the response sink: a script error.
      this.#scriptFailed(error);
      return;
    }
    if (generation !== this.#generation || this.#closed || context.state.stopped) return;
    if (!ok) {
      // A failure, or the server's close. A close of an idle connection, or after GOAWAY, is not an error;
      // otherwise each request in flight or waiting for a stream is lost with the connection, and counted (one
      // when none is), as a GOAWAY's error counts: with -R each was counted sent.
      if (this.#failure !== "" && !(this.#goingAway && this.#open === 0)) this.#countLost(this.#failure);
      // Taken as it is used: only `#fail`, within this read, sets it.
      const code = this.#failureCode;
      this.#failureCode = -1;
      if (code >= 0) {
        // A connection error of the server's (RFC 9113 §5.4.1), named by its code. We accept no streams from the
        // server: the last one we processed is 0. Nothing follows it: no body resumes as the write drains.
        this.#blocked = [];
        this.#out.goaway(0, code);
        this.#flush();
      }
      this.#reconnect();
      return;
    }
    this.#afterEvent();
  }

  /** Parses the frames in one read; false (with `#failure`) when the connection must go. */
  #consume(n: number, generation: number): boolean {
    this.#context.counters.bytesRead += n;
    const buffer = this.#buffer;
    let pos = 0;
    // A frame begun in an earlier read: complete it first.
    if (this.#partialLength > 0) {
      const partial = this.#partial;
      const have = this.#partialLength;
      const need = have < FRAME_HEADER_BYTES
        ? FRAME_HEADER_BYTES - have
        : FRAME_HEADER_BYTES + frameLength(partial, 0) - have;
      const take = Math.min(need, n);
      this.#appendPartial(buffer, 0, take);
      pos = take;
      if (this.#partialLength < FRAME_HEADER_BYTES) return true;
      const total = FRAME_HEADER_BYTES + frameLength(this.#partial, 0);
      if (total > FRAME_HEADER_BYTES + DEFAULT_MAX_FRAME_BYTES) return this.#frameTooLarge(this.#partial, 0);
      if (this.#partialLength < total) {
        // Header just completed: take the rest of its payload from this read.
        const more = Math.min(total - this.#partialLength, n - pos);
        this.#appendPartial(buffer, pos, pos + more);
        pos += more;
        if (this.#partialLength < total) return true;
      }
      this.#partialLength = 0;
      if (!this.#frame(this.#partial, 0, generation)) return false;
      // A response() that stopped the thread (`thread:stop()`, or its end passed): the rest is not counted.
      if (generation !== this.#generation || this.#context.state.stopped) return false;
    }
    while (pos < n) {
      if (n - pos < FRAME_HEADER_BYTES) {
        this.#appendPartial(buffer, pos, n);
        return true;
      }
      const length = frameLength(buffer, pos);
      if (length > DEFAULT_MAX_FRAME_BYTES) return this.#frameTooLarge(buffer, pos);
      if (n - pos < FRAME_HEADER_BYTES + length) {
        this.#appendPartial(buffer, pos, n);
        return true;
      }
      if (!this.#frame(buffer, pos, generation)) return false;
      if (generation !== this.#generation || this.#context.state.stopped) return false;
      pos += FRAME_HEADER_BYTES + length;
    }
    return true;
  }

  /**
   * A frame longer than we allow. Before the server's SETTINGS, a frame header that reads `HTTP/` is an HTTP/1
   * answer to the preface (a `thread.addr` that points at another server than the one checked before the run).
   */
  #frameTooLarge(bytes: Uint8Array, pos: number): boolean {
    const http1 = !this.#peerSettingsSeen && bytes[pos] === 0x48 && bytes[pos + 1] === 0x54 &&
      bytes[pos + 2] === 0x54 && bytes[pos + 3] === 0x50 && bytes[pos + 4] === 0x2f;
    return this.#fail(
      http1 ? "protocol error: the server answered HTTP/1, not HTTP/2" : "protocol error: frame too large",
      http1 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR,
    );
  }

  #appendPartial(bytes: Uint8Array, start: number, end: number): void {
    this.#partial.set(bytes.subarray(start, end), this.#partialLength);
    this.#partialLength += end - start;
  }

  /** The connection fails with `reason` (the read error counted) and a GOAWAY with `code` (-1: none). */
  #fail(reason: string, code: number = ErrorCode.PROTOCOL_ERROR): boolean {
    this.#failure = reason;
    this.#failureCode = code;
    return false;
  }

  /** A server that sends `frame`s faster than it reads their acknowledgements: the connection goes. */
  #flooded(frame: "PING" | "SETTINGS"): boolean {
    return this.#fail(
      `${frame} flood: the server does not read their acknowledgements`,
      ErrorCode.ENHANCE_YOUR_CALM,
    );
  }

  /** Handles one complete frame at `bytes[at]`; false (with `#failure`) on a connection error. */
  #frame(bytes: Uint8Array, at: number, generation: number): boolean {
    const length = frameLength(bytes, at);
    const type = bytes[at + 3];
    const flags = bytes[at + 4];
    const streamId =
      ((bytes[at + 5] & 0x7f) << 24 | bytes[at + 6] << 16 | bytes[at + 7] << 8 | bytes[at + 8]) >>> 0;
    const start = at + FRAME_HEADER_BYTES;
    const end = start + length;
    if (this.#blockStream !== 0 && (type !== FrameType.CONTINUATION || streamId !== this.#blockStream)) {
      return this.#fail("protocol error: header block interrupted");
    }
    switch (type) {
      case FrameType.DATA:
        return this.#data(bytes, start, end, flags, streamId, generation);
      case FrameType.HEADERS: {
        if (streamId === 0) return this.#fail("protocol error: HEADERS on stream 0");
        let from = start;
        let to = end;
        if (flags & Flag.PADDED) {
          const pad = bytes[from++];
          to -= pad;
        }
        if (flags & Flag.PRIORITY) from += 5;
        if (from > to) return this.#fail("protocol error: bad padding");
        // A whole block in one frame (the usual case) is decoded where it lies.
        if (flags & Flag.END_HEADERS) return this.#headerBlock(bytes, from, to, flags, streamId, generation);
        this.#blockLength = 0;
        this.#blockFlags = flags;
        this.#appendBlock(bytes, from, to);
        this.#blockStream = streamId;
        return true;
      }
      case FrameType.CONTINUATION: {
        if (this.#blockStream === 0 || streamId !== this.#blockStream) {
          return this.#fail("protocol error: unexpected CONTINUATION");
        }
        if (this.#blockLength + length > MAX_HEADER_BLOCK_BYTES) {
          return this.#fail("protocol error: header block too large");
        }
        this.#appendBlock(bytes, start, end);
        if (!(flags & Flag.END_HEADERS)) return true;
        this.#blockStream = 0;
        return this.#headerBlock(this.#block, 0, this.#blockLength, this.#blockFlags, streamId, generation);
      }
      case FrameType.RST_STREAM: {
        if (length !== 4 || streamId === 0) {
          return this.#fail(
            "protocol error: bad RST_STREAM",
            streamId === 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR,
          );
        }
        const stream = this.#streams.get(streamId);
        if (stream === undefined || !stream.active) return true;
        const code = readUint32(bytes, start);
        if (code === ErrorCode.REFUSED_STREAM && stream.status === 0 && stream.refusals < MAX_REFUSALS) {
          // Not processed (RFC 9113 §8.7): the server had fewer stream slots than we opened before its
          // SETTINGS arrived, or lowered its limit. The request goes again when a slot frees, its body from the
          // first byte (the server dropped what it had), and meanwhile sends nothing: its id is gone.
          stream.refusals++;
          this.#streams.delete(streamId);
          this.#open--;
          stream.opened = false;
          stream.id = 0;
          stream.bodySent = 0;
          this.#leaveBlocked(stream);
          this.#queue.unshift(stream);
          return true;
        }
        this.#context.counters.countError("read", `stream reset: ${errorCodeName(code)}`);
        this.#finishStream(stream, false);
        return true;
      }
      case FrameType.SETTINGS:
        return this.#settings(bytes, start, end, flags, streamId);
      case FrameType.PING:
        if (length !== 8 || streamId !== 0) {
          return this.#fail(
            "protocol error: bad PING",
            streamId !== 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR,
          );
        }
        if (flags & Flag.ACK) return true;
        if (this.#ackBytes >= MAX_QUEUED_ACK_BYTES) return this.#flooded("PING");
        this.#out.ping(bytes.subarray(start, end), true);
        this.#ackBytes += FRAME_HEADER_BYTES + 8;
        return true;
      case FrameType.GOAWAY: {
        if (length < 8 || streamId !== 0) {
          return this.#fail(
            "protocol error: bad GOAWAY",
            streamId !== 0 ? ErrorCode.PROTOCOL_ERROR : ErrorCode.FRAME_SIZE_ERROR,
          );
        }
        const lastStreamId = readUint32(bytes, start) & 0x7fffffff;
        const code = readUint32(bytes, start + 4);
        this.#goingAway = true;
        if (code !== ErrorCode.NO_ERROR) {
          // An error: the server is done with the connection, whether it closes it or not (one that keeps it
          // open answers nothing more). Each request in flight fails once, with the GOAWAY's code as its reason,
          // and the connection is replaced now: its close is not counted again, nor its streams as timeouts.
          this.#countLost(`GOAWAY ${errorCodeName(code)}`);
          this.#failure = "";
          return false;
        }
        // Streams above its last id were not processed: after a graceful close (nginx's keepalive_requests)
        // they are dropped, uncounted, as at the end of a run, and go again on the next connection. A
        // connection that answered nothing before it refused them is a server refusing the load: each
        // refused stream is a read error, or a server that always does so would show no cause at all.
        const refusal = this.#answered === 0;
        this.#goneAwayGracefully = !refusal;
        for (const stream of [...this.#streams.values()]) {
          if (stream.active && stream.id > lastStreamId) {
            if (refusal) this.#context.counters.countError("read", "GOAWAY NO_ERROR before any response");
            this.#finishStream(stream, false);
          }
        }
        // Streams not yet opened end too, uncounted: new batches take their slots on the next connection.
        for (const stream of this.#queue) this.#finishStream(stream, false);
        this.#queue = [];
        return true;
      }
      case FrameType.WINDOW_UPDATE: {
        if (length !== 4) return this.#fail("protocol error: bad WINDOW_UPDATE", ErrorCode.FRAME_SIZE_ERROR);
        const increment = readUint32(bytes, start) & 0x7fffffff;
        if (increment === 0) {
          // On the connection, a connection error; on a stream, that stream's (RFC 9113 §6.9): the others go on.
          if (streamId === 0) return this.#fail("protocol error: WINDOW_UPDATE of 0");
          const stream = this.#streams.get(streamId);
          if (stream !== undefined && stream.active) {
            this.#resetStream(stream, "read", "protocol error: WINDOW_UPDATE of 0", ErrorCode.PROTOCOL_ERROR);
          }
          return true;
        }
        if (streamId === 0) {
          this.#sendWindow += increment;
          if (this.#sendWindow > MAX_WINDOW_BYTES) {
            return this.#fail("flow control error: window over 2^31-1", ErrorCode.FLOW_CONTROL_ERROR);
          }
        } else {
          const stream = this.#streams.get(streamId);
          if (stream !== undefined && stream.active) {
            stream.sendWindow += increment;
            if (stream.sendWindow > MAX_WINDOW_BYTES) {
              // A stream error (RFC 9113 §6.9.1): that stream is reset, the connection carries on.
              this.#resetStream(
                stream,
                "read",
                "flow control error: stream window over 2^31-1",
                ErrorCode.FLOW_CONTROL_ERROR,
              );
            }
          }
        }
        this.#unblock();
        return true;
      }
      case FrameType.PUSH_PROMISE:
        // We said ENABLE_PUSH 0 (RFC 9113 §8.4).
        return this.#fail("protocol error: PUSH_PROMISE after push was disabled");
      default:
        // PRIORITY and unknown types are ignored (§4.1, §5.5).
        return true;
    }
  }

  #appendBlock(bytes: Uint8Array, start: number, end: number): void {
    const needed = this.#blockLength + end - start;
    if (needed > this.#block.length) {
      const grown = new Uint8Array(Math.max(needed, this.#block.length * 2));
      grown.set(this.#block.subarray(0, this.#blockLength));
      this.#block = grown;
    }
    this.#block.set(bytes.subarray(start, end), this.#blockLength);
    this.#blockLength = needed;
  }

  #settings(bytes: Uint8Array, start: number, end: number, flags: number, streamId: number): boolean {
    if (streamId !== 0) return this.#fail("protocol error: SETTINGS on a stream");
    if (flags & Flag.ACK) {
      return end === start ||
        this.#fail("protocol error: SETTINGS ACK with a payload", ErrorCode.FRAME_SIZE_ERROR);
    }
    if ((end - start) % 6 !== 0) {
      return this.#fail("protocol error: bad SETTINGS length", ErrorCode.FRAME_SIZE_ERROR);
    }
    // The first SETTINGS without a limit lifts the one-stream start (RFC 9113: no limit unless one is set).
    let limited = false;
    for (let at = start; at < end; at += 6) {
      const id = bytes[at] << 8 | bytes[at + 1];
      const value = readUint32(bytes, at + 2);
      if (id === Setting.MAX_CONCURRENT_STREAMS) {
        this.#peerMaxStreams = value;
        limited = true;
        const counters = this.#context.counters;
        if (value < this.#maxBatches && (counters.streamLimit === null || value < counters.streamLimit)) {
          counters.streamLimit = value;
        }
      } else if (id === Setting.INITIAL_WINDOW_SIZE) {
        if (value > MAX_WINDOW_BYTES) {
          return this.#fail("flow control error: initial window over 2^31-1", ErrorCode.FLOW_CONTROL_ERROR);
        }
        const delta = value - this.#peerInitialWindow;
        this.#peerInitialWindow = value;
        for (const stream of this.#streams.values()) {
          if (!stream.active) continue;
          stream.sendWindow += delta;
          if (stream.sendWindow > MAX_WINDOW_BYTES) {
            return this.#fail("flow control error: stream window over 2^31-1", ErrorCode.FLOW_CONTROL_ERROR);
          }
        }
      } else if (id === Setting.MAX_FRAME_SIZE) {
        if (value < DEFAULT_MAX_FRAME_BYTES || value > 16_777_215) {
          return this.#fail("protocol error: bad MAX_FRAME_SIZE");
        }
        this.#peerMaxFrame = value;
      } else if (id === Setting.HEADER_TABLE_SIZE && value < this.#encoderTableBytes) {
        // The server's decoder shrinks our table to this when it sees our ACK, and expects the change
        // acknowledged by a size update at the start of our next block (RFC 7541 §4.2). Several changes
        // before that block need one update: our encoder uses no table, so it takes the lowest and keeps it.
        this.#encoderTableBytes = value;
        this.#tableSizeUpdatePending = true;
      }
    }
    if (!this.#peerSettingsSeen && !limited) this.#peerMaxStreams = Infinity;
    this.#peerSettingsSeen = true;
    if (this.#ackBytes >= MAX_QUEUED_ACK_BYTES) return this.#flooded("SETTINGS");
    this.#out.settingsAck();
    this.#ackBytes += FRAME_HEADER_BYTES;
    this.#unblock();
    return true;
  }

  /**
   * A complete header block for `streamId`, `block[start, end)` with its HEADERS frame's `flags`: decoded always
   * (HPACK state), then applied to its stream.
   */
  #headerBlock(
    block: Uint8Array,
    start: number,
    end: number,
    flags: number,
    streamId: number,
    generation: number,
  ): boolean {
    const stream = this.#streams.get(streamId);
    const live = stream !== undefined && stream.active;
    // The response's own list when a script reads it: its first block from empty, trailers (a block after the
    // final response's) joining its fields, as HTTP/1.1's chunked trailers do in response()'s `headers` (wrk's
    // parser calls its header callback for them too). Else a scratch list, for HPACK's state alone.
    const list = live && this.#context.sink !== null ? (stream.headers ??= new HeaderList()) : this.#scratch;
    if (!live || list === this.#scratch || stream.status === 0) list.reset();
    try {
      this.#decoder.decode(block, start, end, list);
    } catch (error) {
      if (error instanceof HpackError) {
        return this.#fail(`compression error: ${error.message}`, ErrorCode.COMPRESSION_ERROR);
      }
      throw error;
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (!live) return true;
    if (stream.status === 0) {
      const status = statusOf(list);
      if (status <= 0) {
        const reason = status === 0 ? "no :status" : "a :status that is not a status code";
        this.#resetStream(stream, "read", `malformed response: ${reason}`, ErrorCode.PROTOCOL_ERROR);
        return true;
      }
      if (status < 200) {
        if (endStream) {
          // An informational response cannot end its stream (RFC 9113 §8.1): no final one will come.
          this.#resetStream(
            stream,
            "read",
            "malformed response: 1xx with END_STREAM",
            ErrorCode.PROTOCOL_ERROR,
          );
          return true;
        }
        // 1xx: informational, a final response follows.
        list.reset();
        return true;
      }
      stream.status = status;
    }
    if (endStream) this.#complete(stream, generation);
    return true;
  }

  #data(
    bytes: Uint8Array,
    start: number,
    end: number,
    flags: number,
    streamId: number,
    generation: number,
  ): boolean {
    if (streamId === 0) return this.#fail("protocol error: DATA on stream 0");
    const length = end - start;
    // Flow control counts the whole payload, padding included, whatever happens to the stream.
    this.#unacknowledged += length;
    if (this.#unacknowledged >= CONNECTION_WINDOW_BYTES / 2) {
      this.#out.windowUpdate(0, this.#unacknowledged);
      this.#unacknowledged = 0;
    }
    const stream = this.#streams.get(streamId);
    if (stream === undefined || !stream.active) return true;
    if (stream.status === 0) {
      // A malformed response: an error of its stream (RFC 9113 §8.1.1), not of the connection's others.
      this.#resetStream(stream, "read", "malformed response: DATA before HEADERS", ErrorCode.PROTOCOL_ERROR);
      return true;
    }
    let to = end;
    let from = start;
    if (flags & Flag.PADDED) {
      to -= bytes[from++];
      if (from > to) return this.#fail("protocol error: bad padding");
    }
    if (this.#context.sink !== null) appendBody(stream, bytes, from, to);
    else stream.bodyLength += to - from;
    if (flags & Flag.END_STREAM) {
      this.#complete(stream, generation);
      return true;
    }
    stream.unacknowledged += length;
    if (stream.unacknowledged >= STREAM_WINDOW_BYTES / 2) {
      this.#out.windowUpdate(streamId, stream.unacknowledged);
      stream.unacknowledged = 0;
    }
    return true;
  }

  /** A stream's response is complete: count it, hand it to the sink, finish its batch. */
  #complete(stream: Stream, generation: number): void {
    const context = this.#context;
    const counters = context.counters;
    const status = stream.status;
    const batch = stream.batch!;
    const body = stream.request!.body;
    if (body !== null && stream.bodySent < body.length) {
      // The whole response came before the whole body (a 413, say): the rest of the body is not sent, and the
      // stream is closed on our side too (RFC 9113 §8.1), or it would hold one of the server's stream slots.
      this.#out.rstStream(stream.id, ErrorCode.NO_ERROR);
    }
    const nowMs = batch.pending === 1 || this.#samplePerResponse ? clockMs() : 0;
    if (nowMs > 0) this.#eventMs = nowMs;
    counters.requests++;
    counters.requestsSinceSample++;
    counters.statusCodes[status]++;
    this.#answered++;
    if (status > 399) counters.errors.status++;
    if (context.sink !== null) {
      this.#deliver(stream, context.sink);
      // The event's time is now after response() (a batch started next counts from it, `#startBatch`), which
      // may have held the loop past the thread's end: nothing after this response is counted then.
      const afterMs = clockMs();
      this.#eventMs = afterMs;
      if (afterMs >= context.deadline.atMs) context.deadline.passed();
    }
    if (generation !== this.#generation) return;
    if (batch.pending > 1 && this.#samplePerResponse && !batch.failed) this.#recordSample(batch, nowMs);
    if (batch.pending === 1 && !batch.failed) this.#recordSample(batch, nowMs);
    // A late answer of 400 or more to a request that counted its timeout (before, or just now): two errors.
    if (status > 399 && batch.timedOut) this.#failAfterTimeout(batch);
    this.#finishStream(stream, true);
  }

  #deliver(stream: Stream, sink: ResponseSink): void {
    const response = this.#response;
    const list = stream.headers!;
    // Pseudo-header fields come first (RFC 9113 §8.3): the script sees the others, as HTTP/1.1's headers. They
    // are dropped from the list's offsets in place (the list is done with), rather than through four views.
    let first = 0;
    while (first < list.count && list.bytes[list.nameStart[first]] === 0x3a) first++;
    if (first > 0) {
      list.nameStart.copyWithin(0, first, list.count);
      list.nameEnd.copyWithin(0, first, list.count);
      list.valueStart.copyWithin(0, first, list.count);
      list.valueEnd.copyWithin(0, first, list.count);
      list.count -= first;
    }
    response.status = stream.status;
    response.headerCount = list.count;
    response.head = list.bytes;
    response.nameStart = list.nameStart;
    response.nameEnd = list.nameEnd;
    response.valueStart = list.valueStart;
    response.valueEnd = list.valueEnd;
    response.body = stream.body;
    response.bodyLength = stream.bodyLength;
    sink.onResponse(response);
  }

  /** One latency sample for `batch` ending at `nowMs`, as the HTTP/1.1 cycle records it (`-R`: wrk2's rule). */
  #recordSample(batch: Batch, nowMs: number): void {
    const context = this.#context;
    const latencyUs = (nowMs - batch.sinceMs) * 1000;
    const pacing = context.pacing;
    if (pacing === null) {
      if (latencyUs >= this.#timeoutUs) context.counters.countError("timeout", "response after --timeout");
      else context.recordLatencyUs(latencyUs);
      return;
    }
    if (latencyUs >= this.#timeoutUs && !batch.timedOut) {
      context.counters.countError("timeout", "response after --timeout");
      batch.timedOut = true;
    }
    pacing.recordUncorrectedUs(latencyUs);
    context.recordLatencyUs((nowMs - batch.plannedMs) * 1000);
  }

  /** The stream is done (`ok`: with a response); its batch ends with its last stream. */
  #finishStream(stream: Stream, ok: boolean): void {
    const batch = stream.batch!;
    if (!ok) batch.failed = true;
    if (stream.opened) {
      this.#streams.delete(stream.id);
      this.#open--;
    }
    // A stream waiting to send its body must not be found there once it is reused.
    this.#leaveBlocked(stream);
    stream.reset();
    this.#pool.push(stream);
    if (--batch.pending === 0) {
      this.#batches--;
      // Its lane may send again (at its next slot): the next #fill sees to it.
      if (batch.lane !== null) {
        this.#idleLanes.push(batch.lane);
        batch.lane = null;
      }
      this.#batchPool.push(batch);
    }
  }

  /** A script hook failed: this connection stops, and the thread is told. */
  #scriptFailed(error: unknown): void {
    this.close();
    this.#context.onScriptError(error);
  }

  /**
   * After a failure or the server's close: a new connection a macrotask later (`ConnectionSlot.connectLater`:
   * connections an overloaded server drops all reconnecting at once keep it dropping them).
   */
  #reconnect(): void {
    this.#drop();
    this.#slot.connectLater();
  }

  #drop(): void {
    this.#generation = this.#slot.drop();
    this.#eventMs = -1;
    for (const wait of this.#activeWaits) {
      wait.timer?.cancel();
      wait.timer = null;
      this.#idleWaits.push(wait);
    }
    this.#activeWaits.clear();
    this.#waiting = 0;
    // The batches in flight and the slots waited for go with the socket; the lanes keep their plans (a
    // dropped batch's slot stays used) and send again on the next connection.
    if (this.#lanes !== null) {
      const idle = this.#idleLanes;
      idle.length = 0;
      for (const lane of this.#lanes) idle.push(lane);
    }
    // Streams in flight end with the socket, uncounted (a reconnect after an error counted it already).
    for (const stream of this.#streams.values()) {
      stream.reset();
      this.#pool.push(stream);
    }
    for (const stream of this.#queue) {
      stream.reset();
      this.#pool.push(stream);
    }
    this.#streams.clear();
    this.#queue = [];
    this.#blocked = [];
    this.#open = 0;
    this.#batches = 0;
    this.#out.clear();
    this.#ackBytes = 0;
    // A write still on its way to the old socket holds the spare writer's bytes: the next connection gets a
    // fresh one, so that none of the old socket's frames can follow its preface.
    if (this.#writePending) this.#spare = new FrameWriter();
    else this.#spare.clear();
    this.#writePending = false;
    const conn = this.#conn;
    this.#conn = null;
    if (conn !== null) closeQuietly(conn);
  }
}

/** `:status` as bytes. */
const STATUS_NAME = new TextEncoder().encode(":status");

/**
 * The `:status` of a decoded response header list: 0 when it has none, -1 when it is not a status code (three
 * digits from 100 to 999, as HTTP/1.1's status line has).
 */
function statusOf(list: HeaderList): number {
  const { bytes } = list;
  for (let i = 0; i < list.count; i++) {
    const start = list.nameStart[i];
    if (list.nameEnd[i] - start !== STATUS_NAME.length || bytes[start] !== 0x3a) continue;
    let same = true;
    for (let j = 1; j < STATUS_NAME.length && same; j++) same = bytes[start + j] === STATUS_NAME[j];
    if (!same) continue;
    const valueStart = list.valueStart[i];
    if (list.valueEnd[i] - valueStart !== 3) return -1;
    let status = 0;
    for (let j = valueStart; j < valueStart + 3; j++) {
      const digit = bytes[j] - 0x30;
      if (digit < 0 || digit > 9) return -1;
      status = status * 10 + digit;
    }
    return status < 100 ? -1 : status;
  }
  return 0;
}

function appendBody(stream: Stream, bytes: Uint8Array, start: number, end: number): void {
  const needed = stream.bodyLength + end - start;
  if (needed > stream.body.length) {
    const grown = new Uint8Array(Math.max(needed, stream.body.length * 2, 1024));
    grown.set(stream.body.subarray(0, stream.bodyLength));
    stream.body = grown;
  }
  stream.body.set(bytes.subarray(start, end), stream.bodyLength);
  stream.bodyLength = needed;
}

/** The first slot after `nowMs` of any of a connection's lanes: when its failed connect is tried again (`-R`). */
function nextSlotOfAny(lanes: readonly Pacer[], nowMs: number): number {
  let atMs = Infinity;
  for (const lane of lanes) atMs = Math.min(atMs, lane.nextSlotMs(nowMs));
  return atMs;
}
