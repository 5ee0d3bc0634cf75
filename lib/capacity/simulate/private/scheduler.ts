/**
 * GPU nodes and pod placement: topology spread over zones, free GPUs on running
 * or launching nodes first, new nodes up to the node group's max size.
 */
import type { EngineConfig } from "./engine-types";
import { Node, READY, STARTING, type Replica } from "./actors";

/** Nodes, zones and where pods go. */
export class Scheduler {
  /** Every node ever launched and not yet compacted away. */
  public readonly nodes: Node[] = [];
  /** Zones lost during the run. */
  public readonly zoneDown: boolean[];

  /** @param replicas the engine's pod list (read for the spread). */
  public constructor(
    private readonly cfg: EngineConfig,
    private readonly replicas: readonly Replica[],
  ) {
    this.zoneDown = new Array<boolean>(cfg.zones).fill(false);
  }

  /** True when every zone is lost. */
  public get allZonesDown(): boolean {
    return this.zoneDown.every((d) => d);
  }

  /** Nodes launching or running. */
  public aliveNodes(): number {
    let n = 0;
    for (const node of this.nodes) if (!node.gone) n++;
    return n;
  }

  /** Adds empty nodes up to the node group's min size (spread over zones). */
  public ensureMinNodes(): void {
    for (let i = this.aliveNodes(); i < this.cfg.nodesMin; i++) this.nodes.push(new Node(i % this.cfg.zones, 0));
  }

  /** Up zones, the one with the fewest live pods first (topology spread, maxSkew 1). */
  public zonesBySpread(): number[] {
    const perZone = new Array<number>(this.cfg.zones).fill(0);
    for (const r of this.replicas) if ((r.state === READY || r.state === STARTING) && r.node) perZone[r.zone]!++;
    return [...perZone.keys()].filter((z) => !this.zoneDown[z]).sort((a, b) => perZone[a]! - perZone[b]! || a - b);
  }

  /**
   * Schedules a pending pod: a free GPU on a node in the emptiest zone, else a new node there
   * (the cluster autoscaler launches in the zone the spread constraint asks for), else a free
   * GPU in any zone; with the node group at its max size, the pod stays Pending.
   */
  public bind(r: Replica, now: number, initial: boolean): boolean {
    const cfg = this.cfg;
    const zones = this.zonesBySpread();
    if (zones.length === 0) return false;
    const freeIn = (z: number): Node | undefined =>
      this.nodes.filter((n) => !n.gone && n.zone === z && n.used < cfg.replicasPerNode).sort((a, b) => a.readyAt - b.readyAt)[0];
    let node = freeIn(zones[0]!);
    if (!node && this.nodes.filter((n) => !n.gone).length < cfg.nodesMax) {
      node = new Node(zones[0]!, initial ? 0 : now + cfg.nodeProvisioningSeconds);
      this.nodes.push(node);
    }
    for (let i = 1; !node && i < zones.length; i++) node = freeIn(zones[i]!);
    if (!node) return false;
    node.used++;
    r.node = node;
    r.zone = node.zone;
    r.state = STARTING;
    r.readyAt = initial ? 0 : Math.max(now, node.readyAt) + cfg.podStartSeconds;
    return true;
  }

  /** Removes nodes empty for `nodeUnneededSeconds` (cluster-autoscaler), never below the node group's min. */
  public scaleNodesDown(now: number): void {
    let alive = this.nodes.filter((n) => !n.gone).length;
    for (const n of this.nodes) {
      if (alive <= this.cfg.nodesMin) break;
      if (!n.gone && n.used === 0 && n.readyAt <= now && now - n.emptySince >= this.cfg.nodeUnneededSeconds) {
        n.gone = true;
        alive--;
      }
    }
    if (this.nodes.length > 4 * alive + 64) {
      const keep = this.nodes.filter((n) => !n.gone);
      this.nodes.length = 0;
      this.nodes.push(...keep);
    }
  }


  /** Marks a zone and its nodes lost. */
  public loseZone(zone: number): void {
    this.zoneDown[zone] = true;
    for (const n of this.nodes) if (n.zone === zone) n.gone = true;
  }
}
