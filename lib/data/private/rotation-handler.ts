/**
 * Source of the Secrets Manager rotation function for an ElastiCache password user, shipped as one
 * CommonJS file (`index.js`) on the Lambda Node.js runtime, whose bundled AWS SDK v3 it uses (no
 * dependencies to package). Kept as a string so the synth writes the same bytes wherever it runs;
 * test/data/rotation-handler.test.ts runs it with fake clients and a real socket.
 *
 * The four steps of the rotation protocol (Secrets Manager user guide, "Lambda rotation functions"):
 * - createSecret: a new 64-character alphanumeric password (GetRandomPassword) as AWSPENDING;
 * - setSecret: ModifyUser with two passwords, the current one and the pending one, so clients that
 *   read the secret before the rotation keep working until the next rotation (ElastiCache users hold
 *   up to two). The bootstrap version Terraform writes has no usable password and is dropped;
 * - testSecret: waits for the user to be active again, then AUTHs with the pending password over TLS;
 * - finishSecret: moves AWSCURRENT to the pending version.
 */
export const ROTATION_HANDLER_JS = String.raw`"use strict";
const tls = require("node:tls");

const PASSWORD_LENGTH = 64;

/** The secret's JSON: the shape ElastiCache documents for user secrets (username, password, user_arn). */
function parse(secretString) {
  const value = JSON.parse(secretString);
  if (typeof value.username !== "string" || typeof value.user_arn !== "string") throw new Error("the secret has no username or user_arn");
  return value;
}

/** Sends AUTH user password as a RESP array over a connected socket; resolves on +OK, rejects otherwise. */
function auth(socket, user, password) {
  return new Promise((resolve, reject) => {
    const args = ["AUTH", user, password];
    const frame = "*" + args.length + "\r\n" + args.map((a) => "$" + Buffer.byteLength(a) + "\r\n" + a + "\r\n").join("");
    let reply = "";
    socket.setTimeout(5000, () => { socket.destroy(); reject(new Error("AUTH timed out")); });
    socket.on("error", reject);
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      const end = reply.indexOf("\r\n");
      if (end < 0) return;
      socket.end();
      const line = reply.slice(0, end);
      if (line === "+OK") resolve();
      else reject(new Error("AUTH refused: " + line.slice(0, 80)));
    });
    socket.write(frame);
  });
}

function makeHandler(deps) {
  return async function handler(event) {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    if (secretId !== deps.secretArn) throw new Error("this function rotates only " + deps.secretArn);
    const meta = await deps.describe(secretId);
    if (meta.RotationEnabled === false) throw new Error("rotation is not enabled on the secret");
    const stages = (meta.VersionIdsToStages || {})[token];
    if (!stages) throw new Error("version " + token + " has no stage on the secret");
    if (stages.includes("AWSCURRENT")) return;
    if (!stages.includes("AWSPENDING")) throw new Error("version " + token + " is not AWSPENDING");

    if (step === "createSecret") {
      const current = parse(await deps.get(secretId, "AWSCURRENT"));
      try {
        await deps.get(secretId, "AWSPENDING", token);
        return;
      } catch (e) {
        if (e.name !== "ResourceNotFoundException") throw e;
      }
      const password = await deps.randomPassword(PASSWORD_LENGTH);
      await deps.put(secretId, token, JSON.stringify({ username: current.username, password, user_arn: current.user_arn }));
    } else if (step === "setSecret") {
      const current = parse(await deps.get(secretId, "AWSCURRENT"));
      const pending = parse(await deps.get(secretId, "AWSPENDING", token));
      const keep = current.bootstrap === true || typeof current.password !== "string" || current.password === pending.password ? [] : [current.password];
      await deps.modifyUser(deps.userId, [...keep, pending.password]);
    } else if (step === "testSecret") {
      const pending = parse(await deps.get(secretId, "AWSPENDING", token));
      const status = await deps.userStatus(deps.userId);
      if (status !== "active") throw new Error("user " + deps.userId + " is " + status + "; Secrets Manager retries the step");
      await deps.authenticate(pending.username, pending.password);
    } else if (step === "finishSecret") {
      const current = Object.keys(meta.VersionIdsToStages).find((v) => meta.VersionIdsToStages[v].includes("AWSCURRENT"));
      await deps.finish(secretId, token, current);
    } else {
      throw new Error("unknown step " + step);
    }
  };
}

/** The AWS SDK v3 clients of the Lambda runtime, and TLS to the cache. */
function defaultDeps(env) {
  const sm = require("@aws-sdk/client-secrets-manager");
  const ec = require("@aws-sdk/client-elasticache");
  const secrets = new sm.SecretsManagerClient({});
  const cache = new ec.ElastiCacheClient({});
  return {
    secretArn: env.SECRET_ARN,
    userId: env.USER_ID,
    describe: (id) => secrets.send(new sm.DescribeSecretCommand({ SecretId: id })),
    get: async (id, stage, version) => (await secrets.send(new sm.GetSecretValueCommand({ SecretId: id, VersionStage: stage, ...(version ? { VersionId: version } : {}) }))).SecretString,
    randomPassword: async (length) => (await secrets.send(new sm.GetRandomPasswordCommand({ PasswordLength: length, ExcludePunctuation: true, RequireEachIncludedType: true }))).RandomPassword,
    put: (id, version, value) => secrets.send(new sm.PutSecretValueCommand({ SecretId: id, ClientRequestToken: version, SecretString: value, VersionStages: ["AWSPENDING"] })),
    finish: (id, version, current) => secrets.send(new sm.UpdateSecretVersionStageCommand({ SecretId: id, VersionStage: "AWSCURRENT", MoveToVersionId: version, ...(current ? { RemoveFromVersionId: current } : {}) })),
    modifyUser: (userId, passwords) => cache.send(new ec.ModifyUserCommand({ UserId: userId, AuthenticationMode: { Type: "password", Passwords: passwords } })),
    userStatus: async (userId) => (await cache.send(new ec.DescribeUsersCommand({ UserId: userId }))).Users[0].Status,
    authenticate: (user, password) => auth(tls.connect({ host: env.CACHE_HOST, port: Number(env.CACHE_PORT), servername: env.CACHE_HOST }), user, password),
  };
}

exports.makeHandler = makeHandler;
exports.auth = auth;
exports.handler = (event) => makeHandler(defaultDeps(process.env))(event);
`;
