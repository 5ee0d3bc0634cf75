/**
 * The rotation function's code, run as Lambda runs it (CommonJS, `index.js` of the stored zip) with
 * fake Secrets Manager and ElastiCache calls, and its AUTH against a real socket speaking RESP.
 */
import * as net from "node:net";
import * as vm from "node:vm";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROTATION_HANDLER_JS } from "../../lib/data/private/rotation-handler";
import { storedZip } from "../../lib/data/private/zip";

type Handler = (event: { SecretId: string; ClientRequestToken: string; Step: string }) => Promise<void>;
interface Module {
  makeHandler(deps: unknown): Handler;
  auth(socket: net.Socket, user: string, password: string): Promise<void>;
}

function load(): Module {
  const module = { exports: {} as Module };
  const sandboxRequire = (name: string) => {
    if (name === "node:tls") return {};
    throw new Error(`the handler may require only the runtime's modules lazily, not ${name} at load`);
  };
  vm.runInNewContext(ROTATION_HANDLER_JS, { module, exports: module.exports, require: sandboxRequire, Buffer, process: { env: {} } });
  return module.exports;
}

const SECRET = "arn:aws:secretsmanager:us-east-1:111122223333:secret:headroom-test/cache/kv-AbCdEf";
const USER = { username: "headroom-test-kv", user_arn: "arn:aws:elasticache:us-east-1:111122223333:user:headroom-test-kv" };

/** Secrets Manager and ElastiCache as plain maps, recording the calls the handler makes. */
function fakeAws(current: Record<string, unknown>) {
  const versions = new Map<string, { stages: string[]; value: string }>([["v1", { stages: ["AWSCURRENT"], value: JSON.stringify(current) }]]);
  const calls: string[] = [];
  let passwords: string[] = [];
  let status = "active";
  const deps = {
    secretArn: SECRET,
    userId: USER.username,
    describe: async () => ({ RotationEnabled: true, VersionIdsToStages: Object.fromEntries([...versions].map(([id, v]) => [id, v.stages])) }),
    get: async (_id: string, stage: string, version?: string) => {
      const found = [...versions].find(([id, v]) => v.stages.includes(stage) && (version === undefined || id === version));
      if (!found) throw Object.assign(new Error("not found"), { name: "ResourceNotFoundException" });
      return found[1].value;
    },
    randomPassword: async (length: number) => {
      calls.push(`random ${length}`);
      return "N".repeat(length);
    },
    put: async (_id: string, version: string, value: string) => {
      calls.push(`put ${version}`);
      versions.set(version, { stages: ["AWSPENDING"], value });
    },
    modifyUser: async (userId: string, next: string[]) => {
      calls.push(`modify ${userId} ${next.length}`);
      passwords = next;
      status = "modifying";
    },
    userStatus: async () => {
      const now = status;
      status = "active";
      return now;
    },
    authenticate: async (user: string, password: string) => {
      calls.push(`auth ${user}`);
      if (!passwords.includes(password)) throw new Error("WRONGPASS");
    },
    finish: async (_id: string, version: string, from?: string) => {
      calls.push(`finish ${version} from ${from}`);
      versions.get(version)!.stages = ["AWSCURRENT"];
      if (from) versions.get(from)!.stages = ["AWSPREVIOUS"];
    },
  };
  return { deps, versions, calls, passwords: () => passwords };
}

async function rotate(handler: Handler, token: string, aws: ReturnType<typeof fakeAws>): Promise<void> {
  // Secrets Manager labels the token AWSPENDING before the first step (the version gets a value at createSecret).
  const before = aws.deps.describe;
  aws.deps.describe = async () => {
    const d = await before();
    return { ...d, VersionIdsToStages: { ...d.VersionIdsToStages, [token]: d.VersionIdsToStages[token] ?? ["AWSPENDING"] } };
  };
  for (const Step of ["createSecret", "setSecret", "testSecret", "finishSecret"]) {
    try {
      await handler({ SecretId: SECRET, ClientRequestToken: token, Step });
    } catch (e) {
      // testSecret waits for the user to be active again: Secrets Manager calls the step again.
      if (Step === "testSecret" && /is modifying/.test((e as Error).message)) await handler({ SecretId: SECRET, ClientRequestToken: token, Step });
      else throw e;
    }
  }
  aws.deps.describe = before;
}

describe("rotation function (lib/data/private/rotation-handler.ts)", () => {
  const mod = load();

  test("the first rotation replaces the bootstrap version with one password; later ones keep the previous password valid", async () => {
    const aws = fakeAws({ ...USER, bootstrap: true });
    const handler = mod.makeHandler(aws.deps);
    await rotate(handler, "t1", aws);
    expect(aws.calls).toEqual(["random 64", "put t1", "modify headroom-test-kv 1", "auth headroom-test-kv", "finish t1 from v1"]);
    const first = JSON.parse(aws.versions.get("t1")!.value);
    expect(first).toEqual({ ...USER, password: "N".repeat(64) });
    expect(aws.passwords()).toEqual([first.password]);

    aws.deps.randomPassword = async (length: number) => "M".repeat(length);
    await rotate(handler, "t2", aws);
    // Two passwords: pods that read t1 before this rotation keep authenticating until the next one.
    expect(aws.passwords()).toEqual(["N".repeat(64), "M".repeat(64)]);
    expect(aws.versions.get("t2")!.stages).toEqual(["AWSCURRENT"]);
    expect(aws.versions.get("t1")!.stages).toEqual(["AWSPREVIOUS"]);
  });

  test("a step for a version that is already AWSCURRENT does nothing; another secret or a version without AWSPENDING is refused", async () => {
    const aws = fakeAws(USER);
    const handler = mod.makeHandler(aws.deps);
    await handler({ SecretId: SECRET, ClientRequestToken: "v1", Step: "createSecret" });
    expect(aws.calls).toEqual([]);
    await expect(handler({ SecretId: "arn:aws:secretsmanager:us-east-1:1:secret:other", ClientRequestToken: "v1", Step: "createSecret" })).rejects.toThrow(/rotates only/);
    await expect(handler({ SecretId: SECRET, ClientRequestToken: "nope", Step: "createSecret" })).rejects.toThrow(/has no stage/);
  });

  test("testSecret fails when the cache refuses the new password", async () => {
    const aws = fakeAws({ ...USER, bootstrap: true });
    aws.deps.modifyUser = async () => undefined; // the password never reaches the cache
    await expect(rotate(mod.makeHandler(aws.deps), "t1", aws)).rejects.toThrow(/WRONGPASS/);
  });

  test("AUTH speaks RESP and accepts only +OK (a real socket)", async () => {
    const received: string[] = [];
    const server = net.createServer((socket) => {
      socket.on("data", (d) => {
        received.push(d.toString());
        socket.write(d.toString().includes("good") ? "+OK\r\n" : "-WRONGPASS invalid username-password pair\r\n");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      await mod.auth(net.connect(port, "127.0.0.1"), "kv", "good");
      expect(received[0]).toBe("*3\r\n$4\r\nAUTH\r\n$2\r\nkv\r\n$4\r\ngood\r\n");
      await expect(mod.auth(net.connect(port, "127.0.0.1"), "kv", "bad")).rejects.toThrow(/AUTH refused: -WRONGPASS/);
    } finally {
      server.close();
    }
  });
});

describe("storedZip", () => {
  test("is byte-for-byte reproducible and a valid archive unzip reads back", () => {
    const a = storedZip({ "index.js": ROTATION_HANDLER_JS });
    expect(storedZip({ "index.js": ROTATION_HANDLER_JS }).equals(a)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), "headroom-zip-"));
    writeFileSync(join(dir, "code.zip"), a);
    const listing = execFileSync("python3", ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(z.read('index.js').decode() == open(sys.argv[2]).read())", join(dir, "code.zip"), writeAndReturn(join(dir, "index.js"), ROTATION_HANDLER_JS)]).toString();
    expect(listing.trim()).toBe("True");
  });
});

function writeAndReturn(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
