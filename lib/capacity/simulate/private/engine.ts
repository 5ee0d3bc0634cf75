/**
 * The discrete-event engine. Actors (the arrival streams, every replica, the
 * timers) sit in one indexed min-heap on their next event time; requests live
 * only while in flight, as integer ids into typed-array columns (requests.ts),
 * so the hot path allocates nothing; statistics stream into fixed-size histograms.
 */
import { Fifo, IndexedHeap } from "./heap";
import { IdFifo, IdHeap, RequestTable } from "./requests";
import { CalendarColumns, TokenCalendar } from "./token-calendar";
import { LogHistogram } from "./histogram";
import { Random } from "./random";
import { Hpa } from "./hpa";
import { DRAINING, GONE, K_REPLICA, K_STREAM, nextArrival, Node, PENDING, READY, Replica, STARTING, Stream, Timer, T_HPA, T_KAFKA_DOWN, T_KAFKA_UP, T_KEDA, T_NODE_LOSS, T_WINDOW, T_WORKER, T_ZONE } from "./actors";
import { Scheduler } from "./scheduler";
import { tokenSampler, type TokenSampler } from "./token-sampler";
import type { EngineConfig, EngineResult, EngineSeries } from "./engine-types";

export type { EngineConfig, EngineResult, EngineSeries } from "./engine-types";

type Actor = Replica | Timer | Stream;

/** Runs one simulation; deterministic for a given config. */
export function runEngine(cfg: EngineConfig): EngineResult {
  return new Engine(cfg).run();
}

class Engine {
  private readonly heap = new IndexedHeap<Actor>();
  private readonly rngArrival: Random;
  private readonly rngTokens: Random;
  /** Log-normal token counts, rounded and capped, drawn from their exact table (token-sampler.ts). */
  private readonly promptTokens: TokenSampler;
  private readonly outputTokens: TokenSampler;
  private readonly rngRoute: Random;
  /** Own stream, so runs without prefix reuse draw exactly the numbers they drew before. */
  private readonly rngPrefix: Random;
  private readonly prefixStats = { promptTokens: 0, hitTokens: 0 };
  private readonly replicas: Replica[] = [];
  private readonly readyList: Replica[] = [];
  private readonly scheduler: Scheduler;
  /** Every in-flight request; the queues and replicas hold ids into it. */
  private readonly reqs = new RequestTable();
  /** Finish keys and bucket links of the decoding requests, shared by every replica's TokenCalendar. */
  private readonly calendar = new CalendarColumns();
  private readonly syncQ = new IdFifo();
  private readonly asyncQ = new IdFifo();
  private readonly kafka = new IdFifo();
  private readonly hpa: Hpa;
  private readonly workerStarts = new Fifo<number>();
  private readonly workerTimer = new Timer(Infinity, T_WORKER);
  private spec: number;
  private freeSlots = 0;
  /** Token-bucket level; starts as a number (see Replica.step), set to the burst in the constructor. */
  private tokens = 0;
  private tokensAt = 0;
  private syncInSystem = 0;
  private asyncInFlight = 0;
  private workersReady: number;
  private workersStarting = 0;
  private workersLastNeeded = 0;
  private inSystem = 0;
  private areaAt = 0;
  private now = 0;
  private events = 0;
  private stop = false;
  private kafkaDown = false;
  private readonly hasPrefill: boolean;
  /** serviceModel "batched" (token counts, decode steps), not "exponential" (a service time per request). */
  private readonly batched: boolean;
  // Per-event constants of the config, read as fields of the engine.
  private readonly stepBase: number;
  private readonly stepPerSequence: number;
  private readonly prefillRate: number;
  private readonly slots: number;
  private readonly asyncLow: boolean;
  private main: Stream = new Stream([], false);

  private readonly ttft = new LogHistogram();
  private readonly e2e = new LogHistogram();
  private readonly tpot = new LogHistogram();
  private readonly queueWait = new LogHistogram();
  private readonly asyncE2e = new LogHistogram();
  private readonly windowTtft = new LogHistogram();
  /** `cacheHits` stays 0: no whole-response cache is deployed (the field remains in the public summary). */
  private readonly counts = { arrivals: 0, cacheHits: 0, syncAdmitted: 0, syncServed: 0, asyncProduced: 0, asyncServed: 0, rejected: 0, failed: 0, timedOut: 0, lostInZone: 0, retried: 0, waited: 0 };
  private readonly kafkaStats = { maxLag: 0, maxWaitSeconds: 0, lagAtEnd: 0 };
  private readonly little = { area: 0, departures: 0, sumTime: 0, seconds: 0 };
  private readonly series: EngineSeries = {
    startSeconds: [], arrivals: [], cacheHits: [], served: [], rejected: [], failed: [], queueDepth: [], kafkaLag: [],
    replicasReady: [], replicasDesired: [], nodes: [], workers: [], ttftP99Seconds: [], gpuRequests: [],
  };
  private win = { arrivals: 0, cacheHits: 0, served: 0, rejected: 0, failed: 0, gpu: 0 };

  public constructor(private readonly cfg: EngineConfig) {
    this.rngArrival = new Random(cfg.seed);
    this.rngTokens = new Random(cfg.seed ^ 0x5bd1e995);
    const cap = Math.max(1, cfg.maxContextTokens - 1);
    this.promptTokens = tokenSampler(cfg.prompt.mu, cfg.prompt.sigma, cap);
    this.outputTokens = tokenSampler(cfg.output.mu, cfg.output.sigma, cap);
    this.rngPrefix = new Random(cfg.seed ^ 0x2545f491);
    this.rngRoute = new Random(cfg.seed ^ 0x27d4eb2f);
    this.batched = cfg.serviceModel === "batched";
    this.hasPrefill = this.batched && Number.isFinite(cfg.prefillTokensPerSecond);
    this.stepBase = cfg.stepBaseSeconds;
    this.stepPerSequence = cfg.stepPerSequenceSeconds;
    this.prefillRate = cfg.prefillTokensPerSecond;
    this.slots = cfg.slotsPerReplica;
    this.asyncLow = cfg.asyncPriority === "low";
    this.hpa = new Hpa(cfg.hpa);
    // The run starts in steady state: the HPA has recommended the initial replicas for a while.
    this.hpa.seed(0, cfg.initialReplicas);
    this.scheduler = new Scheduler(cfg, this.replicas);
    this.tokens = cfg.admission.burst;
    this.spec = cfg.initialReplicas;
    this.workersReady = cfg.workers.initial;
    for (let i = 0; i < cfg.initialReplicas; i++) {
      const r = this.place(0, true);
      if (r) this.becomeReady(r);
    }
    this.scheduler.ensureMinNodes();
    // The main stream is the most frequent actor: it stays out of the heap and is compared with its top.
    cfg.streams.forEach((s, i) => {
      const stream = new Stream(s.rate, s.asyncOnly);
      nextArrival(stream, 0, cfg.arrivalSeconds, this.rngArrival);
      if (i === 0) this.main = stream;
      else this.heap.push(stream);
    });
    if (cfg.autoscale) this.heap.push(new Timer(cfg.hpa.syncSeconds, T_HPA));
    this.heap.push(new Timer(cfg.windowSeconds, T_WINDOW));
    this.heap.push(new Timer(cfg.workers.pollingSeconds, T_KEDA));
    if (cfg.zoneLoss) this.heap.push(new Timer(cfg.zoneLoss.atSeconds, T_ZONE));
    if (cfg.nodeLoss) this.heap.push(new Timer(cfg.nodeLoss.atSeconds, T_NODE_LOSS));
    if (cfg.kafkaOutage) {
      this.heap.push(new Timer(cfg.kafkaOutage.atSeconds, T_KAFKA_DOWN));
      this.heap.push(new Timer(cfg.kafkaOutage.atSeconds + cfg.kafkaOutage.durationSeconds, T_KAFKA_UP));
    }
    this.heap.push(this.workerTimer);
  }

  public run(): EngineResult {
    const heap = this.heap;
    const end = this.cfg.maxRunSeconds;
    const main = this.main;
    while (!this.stop) {
      const next = main.nextTime;
      if (next <= end && next <= heap.topTime) {
        this.now = next;
        this.events++;
        this.arrive(main.asyncOnly);
        nextArrival(main, this.now, this.cfg.arrivalSeconds, this.rngArrival);
        continue;
      }
      // topTime is the top actor's nextTime (Infinity when empty), read without a polymorphic load.
      const at = heap.topTime;
      if (at > end) break;
      const a = heap.peek()!;
      this.now = at;
      this.events++;
      if (a.actorKind === K_REPLICA) this.fireReplica(a);
      else if (a.actorKind === K_STREAM) this.fireStream(a);
      else this.fireTimer(a);
    }
    this.setInSystem(this.inSystem);
    this.little.seconds = this.now;
    this.kafkaStats.lagAtEnd = this.kafka.length;
    return {
      series: this.series,
      ttft: this.ttft,
      e2e: this.e2e,
      tpot: this.tpot,
      queueWait: this.queueWait,
      asyncE2e: this.asyncE2e,
      counts: this.counts,
      kafka: this.kafkaStats,
      prefix: this.prefixStats,
      little: this.little,
      endSeconds: this.now,
      events: this.events,
    };
  }

  private fireStream(s: Stream): void {
    const now = this.now;
    this.arrive(s.asyncOnly);
    nextArrival(s, now, this.cfg.arrivalSeconds, this.rngArrival);
    this.heap.update(s);
  }


  private arrive(asyncOnly: boolean): void {
    const now = this.now;
    const cfg = this.cfg;
    this.counts.arrivals++;
    this.win.arrivals++;
    const isAsync = asyncOnly || this.rngArrival.next() < cfg.asyncShare;
    let prompt: number;
    let output: number;
    if (!this.batched) {
      prompt = 0;
      output = this.rngTokens.exponential(cfg.meanServiceSeconds);
    } else {
      prompt = Math.min(this.promptTokens.draw(this.rngTokens), cfg.maxContextTokens - 1);
      output = Math.min(this.outputTokens.draw(this.rngTokens), cfg.maxContextTokens - prompt);
    }
    if (isAsync) {
      this.counts.asyncProduced++;
      this.kafka.push(this.admit(now, prompt, output, true));
      if (this.kafka.length > this.kafkaStats.maxLag) this.kafkaStats.maxLag = this.kafka.length;
      this.pullFromKafka();
      return;
    }
    // Gateway admission: token bucket, then the per-replica concurrency and pending caps (429, fail fast).
    const adm = cfg.admission;
    this.tokens = Math.min(adm.burst, this.tokens + (now - this.tokensAt) * adm.ratePerSecond);
    this.tokensAt = now;
    const ready = this.readyList.length;
    if (ready === 0) {
      // No healthy upstream: Envoy answers 503.
      this.counts.failed++;
      this.win.failed++;
      return;
    }
    if (this.tokens < 1 || this.syncInSystem >= adm.maxInSystemPerReplica * ready || this.syncQ.length >= adm.maxPendingPerReplica * ready) {
      this.counts.rejected++;
      this.win.rejected++;
      return;
    }
    this.tokens -= 1;
    this.counts.syncAdmitted++;
    this.syncInSystem++;
    const req = this.admit(now, prompt, output, false);
    this.reqs.enteredAt[req] = now;
    this.setInSystem(this.inSystem + 1);
    if (this.freeSlots > 0 && this.syncQ.length === 0) this.startOn(this.pick(), req);
    else this.syncQ.push(req);
  }

  /** A request record for an arrival that goes on (to Kafka, or admitted at the gateway). */
  private admit(now: number, prompt: number, output: number, isAsync: boolean): number {
    const t = this.reqs;
    const req = t.alloc();
    t.arrival[req] = now;
    t.promptTokens[req] = prompt;
    t.outputTokens[req] = output;
    t.isAsync[req] = isAsync ? 1 : 0;
    t.ttftAt[req] = 0;
    return req;
  }

  private setInSystem(n: number): void {
    this.little.area += this.inSystem * (this.now - this.areaAt);
    this.areaAt = this.now;
    this.inSystem = n;
  }

  /** Envoy LEAST_REQUEST: the less loaded of two random hosts (power of two choices). */
  private pick(): Replica {
    const list = this.readyList;
    const n = list.length;
    const slots = this.slots;
    const a = list[this.rngRoute.int(n)]!;
    const b = list[this.rngRoute.int(n)]!;
    const best = a.active <= b.active ? a : b;
    if (best.active < slots) return best;
    for (const r of list) if (r.active < slots) return r;
    throw new Error("simulator invariant: freeSlots > 0 but no replica has a free slot");
  }

  /** The next queued request to serve: sync first when async has low priority; expired sync requests time out. */
  private nextQueued(): number {
    const now = this.now;
    const t = this.reqs;
    for (;;) {
      let req: number;
      if (this.asyncLow) req = this.syncQ.length > 0 ? this.syncQ.shift() : this.asyncQ.shift();
      else req = this.syncQ.shift();
      if (req < 0) return -1;
      if (t.isAsync[req] === 0 && now - t.arrival[req]! > this.cfg.admission.timeoutSeconds) {
        // The route timeout answers 504 while the request still waits: a 5xx.
        this.counts.timedOut++;
        this.counts.failed++;
        this.win.failed++;
        this.syncInSystem--;
        this.depart(req);
        t.release(req);
        continue;
      }
      return req;
    }
  }

  private depart(req: number): void {
    const now = this.now;
    this.little.departures++;
    this.little.sumTime += now - this.reqs.enteredAt[req]!;
    this.setInSystem(this.inSystem - 1);
  }

  private dispatchQueued(): void {
    while (this.freeSlots > 0 && (this.syncQ.length > 0 || this.asyncQ.length > 0)) {
      const req = this.nextQueued();
      if (req < 0) return;
      this.startOn(this.pick(), req);
    }
  }

  private fill(r: Replica): void {
    while (r.state === READY && r.active < this.slots && (this.syncQ.length > 0 || this.asyncQ.length > 0)) {
      const req = this.nextQueued();
      if (req < 0) return;
      this.startOn(r, req);
    }
  }

  private startOn(r: Replica, req: number): void {
    const now = this.now;
    r.active++;
    this.freeSlots--;
    const t = this.reqs;
    if (t.isAsync[req] === 0) {
      const arrival = t.arrival[req]!;
      this.queueWait.add(now - arrival);
      if (now > arrival) this.counts.waited++;
    }
    if (this.hasPrefill) {
      t.prefillTokens[req] = this.uncachedPromptTokens(t.promptTokens[req]!);
      r.prefillQ.push(req);
      if (r.prefilling < 0) this.startPrefill(r);
    } else {
      this.beginDecode(r, req);
    }
    this.reschedule(r);
  }

  private startPrefill(r: Replica): void {
    const now = this.now;
    const req = r.prefillQ.shift();
    r.prefilling = req;
    r.prefillEnd = req < 0 ? Infinity : now + this.reqs.prefillTokens[req]! / this.prefillRate;
  }

  /** Prompt tokens left to prefill after the replica's prefix cache (see EngineConfig.prefix). */
  private uncachedPromptTokens(promptTokens: number): number {
    const p = this.cfg.prefix;
    this.prefixStats.promptTokens += promptTokens;
    if (p === undefined || p.hitShare <= 0) return promptTokens;
    const onHolder = p.routing === "prefix-affinity" || this.rngPrefix.next() * Math.max(1, this.readyList.length) < 1;
    if (!onHolder) return p.remoteFetchCostShare === undefined ? promptTokens : this.remoteTierPrefillTokens(promptTokens, p.hitShare, p.remoteFetchCostShare);
    const hit = Math.floor(promptTokens * p.hitShare);
    this.prefixStats.hitTokens += hit;
    return promptTokens - hit;
  }

  /**
   * Remote KV tier (kept apart from the hot loop's logic): the cached share is fetched from Valkey, which
   * occupies the prefill lane for `costShare` of the time prefilling it would; the rest is saved and counted
   * as hit tokens (prefill-equivalent), the unit of plan.kvCache.effectiveHitShare.
   */
  private remoteTierPrefillTokens(promptTokens: number, hitShare: number, costShare: number): number {
    const hit = Math.floor(promptTokens * hitShare);
    const fetchEquivalent = Math.ceil(hit * costShare);
    this.prefixStats.hitTokens += hit - fetchEquivalent;
    return promptTokens - hit + fetchEquivalent;
  }

  private advance(r: Replica, now: number): void {
    r.v += (now - r.vAt) / r.step;
    r.vAt = now;
  }

  private setStep(r: Replica): void {
    r.step = this.stepBase + this.stepPerSequence * r.decoding.size;
  }

  private beginDecode(r: Replica, req: number): void {
    const now = this.now;
    const t = this.reqs;
    // The first token leaves with the iteration that completes the prompt: one step after prefill.
    const ttftAt = now + (this.hasPrefill ? r.step : 0);
    t.ttftAt[req] = ttftAt;
    if (t.isAsync[req] === 0) {
      const ttft = ttftAt - t.arrival[req]!;
      this.windowTtft.addInBucket(this.ttft.add(ttft), ttft);
      this.win.gpu++;
    }
    this.advance(r, now);
    // Every output token is one decode iteration; the first one is the TTFT iteration.
    r.decoding.push(req, r.v + t.outputTokens[req]!);
    this.setStep(r);
  }

  private reschedule(r: Replica): void {
    const decodeAt = r.decoding.size === 0 ? Infinity : r.vAt + Math.max(0, r.decoding.topKey - r.v) * r.step;
    const next = r.state === STARTING ? r.readyAt : Math.min(r.prefillEnd, decodeAt);
    if (next === r.nextTime && r.heapIndex >= 0) return;
    r.nextTime = next;
    if (r.heapIndex >= 0) this.heap.update(r);
    else if (next < Infinity) this.heap.push(r);
  }

  private fireReplica(r: Replica): void {
    const now = this.now;
    if (r.state === STARTING) {
      this.becomeReady(r);
      this.fill(r);
      this.reschedule(r);
      return;
    }
    if (r.prefillEnd <= r.nextTime) {
      const req = r.prefilling;
      this.startPrefill(r);
      this.beginDecode(r, req);
      this.reschedule(r);
      return;
    }
    this.advance(r, now);
    const finishV = r.decoding.topKey;
    const req = r.decoding.pop();
    // Landing exactly on the finish time: absorb rounding so the virtual clock never runs backwards.
    if (r.v < finishV) r.v = finishV;
    this.setStep(r);
    r.active--;
    this.complete(req);
    if (r.state === READY) {
      this.freeSlots++;
      this.fill(r);
    } else if (r.state === DRAINING && r.active === 0) {
      this.removeReplica(r);
      return;
    }
    if (this.kafka.length > 0 && this.asyncInFlight < this.workersReady * this.cfg.workers.concurrency) this.pullFromKafka();
    this.reschedule(r);
  }

  private complete(req: number): void {
    const now = this.now;
    const t = this.reqs;
    this.win.served++;
    this.depart(req);
    const arrival = t.arrival[req]!;
    if (t.isAsync[req] === 1) {
      this.counts.asyncServed++;
      this.asyncInFlight--;
      this.asyncE2e.add(now - arrival);
      t.release(req);
      return;
    }
    this.counts.syncServed++;
    this.syncInSystem--;
    this.e2e.add(now - arrival);
    const output = t.outputTokens[req]!;
    if (this.batched && output > 1) this.tpot.add((now - t.ttftAt[req]!) / (output - 1));
    t.release(req);
  }

  // ---- async path: Kafka and the KEDA-scaled workers ----

  private pullFromKafka(): void {
    const now = this.now;
    if (this.kafkaDown) return;
    const cap = this.workersReady * this.cfg.workers.concurrency;
    let pulled = false;
    while (this.kafka.length > 0 && this.asyncInFlight < cap) {
      const req = this.kafka.shift();
      const wait = now - this.reqs.arrival[req]!;
      if (wait > this.kafkaStats.maxWaitSeconds) this.kafkaStats.maxWaitSeconds = wait;
      this.asyncInFlight++;
      this.reqs.enteredAt[req] = now;
      this.setInSystem(this.inSystem + 1);
      if (this.asyncLow) this.asyncQ.push(req);
      else this.syncQ.push(req);
      pulled = true;
    }
    if (pulled) this.dispatchQueued();
  }

  private keda(now: number): void {
    const w = this.cfg.workers;
    const lag = this.kafka.length;
    const desired = Math.min(w.max, Math.max(w.min, Math.ceil(lag / w.lagThreshold)));
    const current = this.workersReady + this.workersStarting;
    if (desired >= current) this.workersLastNeeded = now;
    if (desired > current) {
      for (let i = current; i < desired; i++) this.workerStarts.push(now + w.startSeconds);
      this.workersStarting += desired - current;
      if (this.workerTimer.nextTime === Infinity) {
        this.workerTimer.nextTime = this.workerStarts.peek()!;
        this.heap.update(this.workerTimer);
      }
    } else if (desired < current && now - this.workersLastNeeded >= w.cooldownSeconds) {
      // Scale-in removes ready workers; their in-flight requests finish (graceful shutdown).
      this.workersReady = Math.max(0, this.workersReady - (current - desired));
    }
  }

  private workerReady(now: number): void {
    while (this.workerStarts.length > 0 && this.workerStarts.peek()! <= now) {
      this.workerStarts.shift();
      this.workersStarting--;
      this.workersReady++;
    }
    this.workerTimer.nextTime = this.workerStarts.length > 0 ? this.workerStarts.peek()! : Infinity;
    this.heap.update(this.workerTimer);
    this.pullFromKafka();
  }

  // ---- pods and nodes ----

  private livePods(): number {
    let n = 0;
    for (const r of this.replicas) if (r.state === READY || r.state === STARTING || r.state === PENDING) n++;
    return n;
  }

  /** Creates a pod and schedules it (see {@link bind}). */
  private place(now: number, initial: boolean): Replica | undefined {
    if (this.scheduler.allZonesDown) return undefined;
    const r = new Replica(PENDING, 0, null, Infinity, this.cfg.stepBaseSeconds, this.batched ? new TokenCalendar(this.calendar) : new IdHeap());
    this.replicas.push(r);
    if (this.scheduler.bind(r, now, initial) && !initial) this.reschedule(r);
    return r;
  }

  private becomeReady(r: Replica): void {
    r.state = READY;
    r.vAt = this.now;
    r.readyIndex = this.readyList.length;
    this.readyList.push(r);
    this.freeSlots += this.slots - r.active;
  }

  private leaveReady(r: Replica): void {
    if (r.readyIndex < 0) return;
    const last = this.readyList.pop()!;
    if (last !== r) {
      this.readyList[r.readyIndex] = last;
      last.readyIndex = r.readyIndex;
    }
    r.readyIndex = -1;
    this.freeSlots -= this.slots - r.active;
  }

  private removeReplica(r: Replica): void {
    if (r.state === READY) this.leaveReady(r);
    r.state = GONE;
    this.heap.remove(r);
    if (r.node) {
      r.node.used--;
      if (r.node.used === 0) r.node.emptySince = this.now;
      r.node = null;
    }
  }

  /** The ReplicaSet controller: make live pods equal the spec. */
  private reconcile(now: number): void {
    let live = this.livePods();
    while (live < this.spec) {
      if (!this.place(now, false)) break;
      live++;
    }
    if (live > this.spec) {
      // Deletion order of the ReplicaSet controller: unscheduled, then not ready, then the least busy.
      const order = this.replicas
        .filter((r) => r.state === PENDING || r.state === STARTING || r.state === READY)
        .sort((a, b) => a.state - b.state === 0 ? a.active - b.active : rank(a.state) - rank(b.state));
      for (const r of order) {
        if (live <= this.spec) break;
        live--;
        if (r.state === READY && r.active > 0) {
          this.leaveReady(r);
          r.state = DRAINING;
        } else {
          this.removeReplica(r);
        }
      }
    }
    this.bindPending(now);
    this.compact();
  }

  private bindPending(now: number): void {
    for (const r of this.replicas) {
      if (r.state === PENDING && this.scheduler.bind(r, now, false)) this.reschedule(r);
    }
  }

  private compact(): void {
    if (this.replicas.length > 4 * this.spec + 64) {
      const keep = this.replicas.filter((r) => r.state !== GONE);
      this.replicas.length = 0;
      this.replicas.push(...keep);
    }
  }

  private loseZone(zone: number, now: number): void {
    this.loseReplicas((r) => r.zone === zone, now);
    this.scheduler.loseZone(zone);
    this.recoverFromLoss(now);
  }

  /** A drill terminates `count` GPU nodes, the ones running the most replicas first. */
  private loseNodes(count: number, now: number): void {
    const victims = new Set<Node>(
      this.scheduler.nodes
        .filter((n) => !n.gone)
        .sort((a, b) => b.used - a.used || a.readyAt - b.readyAt)
        .slice(0, count),
    );
    this.loseReplicas((r) => r.node !== null && victims.has(r.node), now);
    for (const n of victims) n.gone = true;
    this.recoverFromLoss(now);
  }

  /** The ReplicaSet replaces lost pods (new nodes come from the provisioner); queues move on. */
  private recoverFromLoss(now: number): void {
    this.reconcile(now);
    this.pullFromKafka();
    this.dispatchQueued();
  }

  /** Removes the replicas `lost` selects; their in-flight requests are retried, redelivered or failed. */
  private loseReplicas(lost: (r: Replica) => boolean, now: number): void {
    const t = this.reqs;
    for (const r of this.replicas) {
      if (r.state === GONE || !lost(r)) continue;
      const inFlight: number[] = [];
      if (r.prefilling >= 0) inFlight.push(r.prefilling);
      r.prefillQ.drainInto(inFlight);
      r.decoding.drainInto(inFlight);
      for (const req of inFlight) {
        this.counts.lostInZone++;
        this.depart(req);
        if (t.isAsync[req] === 1) {
          // Not committed by the worker: Kafka redelivers it.
          this.asyncInFlight--;
          this.kafka.push(req);
        } else if (t.ttftAt[req] === 0) {
          // No byte streamed yet: the mesh retries it on another replica (retryOn: reset).
          this.counts.retried++;
          t.enteredAt[req] = now;
          this.setInSystem(this.inSystem + 1);
          this.syncQ.push(req);
        } else {
          // Tokens already streamed: the response breaks, a 5xx for the client.
          this.syncInSystem--;
          this.counts.failed++;
          this.win.failed++;
          t.release(req);
        }
      }
      if (r.state === READY) this.leaveReady(r);
      r.active = 0;
      r.prefilling = -1;
      r.state = GONE;
      this.heap.remove(r);
      r.node = null;
    }
  }

  // ---- timers ----

  private fireTimer(t: Timer): void {
    const now = this.now;
    const cfg = this.cfg;
    switch (t.kind) {
      case T_HPA: {
        const ready = this.readyList.length;
        let starting = 0;
        for (const r of this.replicas) if (r.state === STARTING || r.state === PENDING) starting++;
        let busy = 0;
        for (const r of this.readyList) busy += r.active;
        const waiting = this.syncQ.length + this.asyncQ.length;
        let next = this.hpa.decide(
          now,
          this.spec,
          [
            { sum: waiting, target: cfg.hpa.targetQueuePerReplica },
            { sum: busy * cfg.hpa.kvUsePerBusySlot, target: cfg.hpa.targetKvUtilization },
          ],
          ready,
          starting,
        );
        const floor = cfg.scheduledFloor;
        if (floor && now >= floor.fromSeconds && now < floor.toSeconds && next < floor.replicas) next = Math.min(cfg.hpa.maxReplicas, floor.replicas);
        if (next !== this.spec) {
          this.spec = next;
          this.reconcile(now);
        } else {
          this.bindPending(now);
        }
        this.scheduler.scaleNodesDown(now);
        t.nextTime = now + cfg.hpa.syncSeconds;
        break;
      }
      case T_WINDOW:
        this.closeWindow(now);
        t.nextTime = now + cfg.windowSeconds;
        break;
      case T_KEDA:
        this.keda(now);
        t.nextTime = now + cfg.workers.pollingSeconds;
        break;
      case T_ZONE:
        this.loseZone(cfg.zoneLoss!.zone, now);
        t.nextTime = Infinity;
        break;
      case T_NODE_LOSS:
        this.loseNodes(cfg.nodeLoss!.nodes, now);
        t.nextTime = Infinity;
        break;
      case T_KAFKA_DOWN:
        this.kafkaDown = true;
        t.nextTime = Infinity;
        break;
      case T_KAFKA_UP:
        this.kafkaDown = false;
        this.pullFromKafka();
        t.nextTime = Infinity;
        break;
      case T_WORKER:
        this.workerReady(now);
        return;
    }
    this.heap.update(t);
  }

  private closeWindow(now: number): void {
    const s = this.series;
    const w = this.win;
    s.startSeconds.push(now - this.cfg.windowSeconds);
    s.arrivals.push(w.arrivals);
    s.cacheHits.push(w.cacheHits);
    s.served.push(w.served);
    s.rejected.push(w.rejected);
    s.failed.push(w.failed);
    s.gpuRequests.push(w.gpu);
    s.queueDepth.push(this.syncQ.length + this.asyncQ.length);
    s.kafkaLag.push(this.kafka.length);
    s.replicasReady.push(this.readyList.length);
    s.replicasDesired.push(this.spec);
    s.nodes.push(this.scheduler.aliveNodes());
    s.workers.push(this.workersReady);
    s.ttftP99Seconds.push(this.windowTtft.quantile(0.99));
    this.windowTtft.reset();
    this.win = { arrivals: 0, cacheHits: 0, served: 0, rejected: 0, failed: 0, gpu: 0 };
    // After the arrivals end, stop as soon as everything has drained.
    if (now >= this.cfg.arrivalSeconds && this.inSystem === 0 && this.kafka.length === 0) this.stop = true;
  }
}

function rank(state: number): number {
  return state === PENDING ? 0 : state === STARTING ? 1 : 2;
}
