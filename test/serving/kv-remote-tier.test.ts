/**
 * The remote KV tier on the inference pods: LMCache's connector instead of vLLM's native offload, its
 * config rendered at pod start by an init container (run here against a fake `aws` CLI), and egress to
 * the cache port only.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { ValidationError } from "../../lib/core/validation";
import { InferenceService, RemoteKvTier } from "../../lib/serving/inference-service";
import { ServingNetworkPolicies } from "../../lib/serving/serving-network-policies";
import { resourcesOf, synthJson } from "../helpers/synth";
import { inferenceProps, workloadsTestStack } from "./helpers";

const REMOTE: RemoteKvTier = {
  host: "clustercfg.headroom-test-cache.abc123.use1.cache.amazonaws.com",
  port: 6379,
  userName: "headroom-test-kv",
  credentialSecretArn: "arn:aws:secretsmanager:us-east-1:111122223333:secret:headroom-test/cache/headroom-test-kv-AbCdEf",
};
const IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/headroom/vllm-lmcache:0.12.0-lmcache0.4.5";

function podSpec(cpuOffloadGiB = 300, remote: RemoteKvTier | undefined = REMOTE): any {
  const stack = workloadsTestStack();
  new InferenceService(stack, "Inference", inferenceProps({ image: IMAGE, kvCache: { cpuOffloadGiB, ...(remote ? { remote } : {}) } }));
  const d = Object.values(resourcesOf(synthJson(stack), "kubernetes_deployment_v1"))[0] as any;
  return d.spec.template.spec;
}

/** Runs the init container's script with a fake `aws` that prints `secretString`; returns the config file it wrote. */
function renderConfig(spec: any, secretString: string): { status: number; config?: any; text?: string; stderr: string } {
  const init = spec.init_container.find((c: any) => c.name === "kv-credential");
  const dir = mkdtempSync(join(tmpdir(), "headroom-lmcache-"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "aws"), `#!/bin/sh\n[ "$1 $2 $3" = "secretsmanager get-secret-value --secret-id" ] || exit 9\n[ "$4" = "$KV_SECRET_ARN" ] || exit 8\nprintf '%s\\n' '${secretString}'\n`);
  chmodSync(join(bin, "aws"), 0o755);
  const out = join(dir, "run");
  mkdirSync(out);
  const script = (init.args[0] as string).replaceAll("/run/lmcache", out);
  const env = Object.fromEntries(init.env.map((e: any) => [e.name, e.value]));
  try {
    execFileSync("/bin/sh", ["-c", script], { env: { ...env, PATH: `${bin}:/usr/bin:/bin` }, stdio: ["ignore", "pipe", "pipe"] });
  } catch (e: any) {
    return { status: e.status, stderr: String(e.stderr) };
  }
  const text = readFileSync(join(out, "lmcache.yaml"), "utf8");
  return { status: 0, text, config: parse(text), stderr: "" };
}

describe("the remote KV tier (kvCache.remote: LMCache on the Valkey cluster)", () => {
  const spec = podSpec();
  const server = spec.container[0];

  test("vLLM runs LMCache's connector instead of the native offload, once, with the config file and a fixed hash seed", () => {
    const i = server.args.indexOf("--kv-transfer-config");
    expect(JSON.parse(server.args[i + 1])).toEqual({ kv_connector: "LMCacheConnectorV1", kv_role: "kv_both" });
    expect(server.args).not.toContain("--kv-offloading-backend");
    expect(server.args).not.toContain("--kv-offloading-size");
    expect(server.args).toContain("--enable-prefix-caching");
    const env = Object.fromEntries(server.env.map((e: any) => [e.name, e.value]));
    expect(env.LMCACHE_CONFIG_FILE).toBe("/run/lmcache/lmcache.yaml");
    expect(env.PYTHONHASHSEED).toBe("0");
    expect(server.image).toBe(IMAGE);
  });

  test("the init container renders LMCache's config from the secret: TLS, cluster mode, the user, the CPU tier per rank", () => {
    const r = renderConfig(spec, JSON.stringify({ username: REMOTE.userName, password: "Abc123xyz", user_arn: "arn:aws:elasticache:us-east-1:111122223333:user:headroom-test-kv" }));
    expect(r.stderr).toBe("");
    expect(r.config).toEqual({
      chunk_size: 256,
      local_cpu: true,
      // 300 GiB over 4 tensor-parallel ranks, each running its own LMCache engine.
      max_local_cpu_size: 75,
      remote_url: `rediss://${REMOTE.host}:6379`,
      remote_serde: "naive",
      extra_config: { redis_mode: "cluster", redis_username: REMOTE.userName, redis_password: "Abc123xyz", use_tls: true },
    });
  });

  test("the init container fails (and the kubelet retries) while the secret holds no password yet", () => {
    const r = renderConfig(spec, JSON.stringify({ username: REMOTE.userName, user_arn: "arn", bootstrap: true }));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no password in .*first rotation pending/);
  });

  test("no CPU tier: LMCache's local_cpu is off", () => {
    expect(renderConfig(podSpec(0), JSON.stringify({ username: "u", password: "p1", user_arn: "a" })).config.local_cpu).toBe(false);
  });

  test("the password lives on a memory-backed volume, read-only for the server; no secret value in the manifest", () => {
    const vol = spec.volume.find((v: any) => v.name === "lmcache");
    expect(vol.empty_dir).toEqual({ medium: "Memory", size_limit: "1Mi" });
    expect(server.volume_mount.find((m: any) => m.name === "lmcache")).toMatchObject({ mount_path: "/run/lmcache", read_only: true });
    expect(JSON.stringify(spec)).not.toMatch(/Abc123xyz/);
  });

  test("requires an explicit LMCache image", () => {
    const stack = workloadsTestStack();
    let error: unknown;
    try {
      new InferenceService(stack, "Inference", inferenceProps({ kvCache: { cpuOffloadGiB: 0, remote: REMOTE } }));
    } catch (e) {
      error = e;
    }
    expect((error as ValidationError).problems[0]).toMatchObject({ code: "SERVING_LMCACHE_IMAGE", path: "image" });
  });

  test("NetworkPolicy: the inference pods reach the cache CIDRs on the cache port, and nothing more", () => {
    const stack = workloadsTestStack();
    const base = {
      inference: { namespace: "inference", podLabels: { "app.kubernetes.io/name": "inference" }, port: 8000 },
      workers: { namespace: "workers", podLabels: { "app.kubernetes.io/name": "worker" }, healthPort: 8080 },
      kafka: { cidrs: ["10.0.0.0/20"], port: 9098 },
      redis: { cidrs: ["10.0.0.0/20"], port: 6379 },
    };
    const on = new ServingNetworkPolicies(stack, "On", { ...base, kvCache: { cidrs: ["10.0.0.0/20", "10.0.16.0/20"], port: 6379 } });
    const off = new ServingNetworkPolicies(stack, "Off", base);
    const json = synthJson(stack);
    const policies = resourcesOf(json, "kubernetes_network_policy_v1");
    const egressOf = (p: ServingNetworkPolicies) => policies[Object.keys(policies).find((k) => k.startsWith(`${p.node.id}_Inference`))!].spec.egress;
    const cache = egressOf(on).filter((e: any) => e.ports.some((p: any) => p.port === "6379"));
    expect(cache).toEqual([{ to: [{ ip_block: { cidr: "10.0.0.0/20" } }, { ip_block: { cidr: "10.0.16.0/20" } }], ports: [{ port: "6379", protocol: "TCP" }] }]);
    expect(egressOf(off).some((e: any) => e.ports.some((p: any) => p.port === "6379"))).toBe(false);
  });
});
