import { ref, RuleCase, tf } from "../helpers";

const goodContainer = {
  name: "server",
  image: "vllm/vllm-openai:v0.6.3",
  security_context: {
    run_as_non_root: true,
    allow_privilege_escalation: false,
    read_only_root_filesystem: true,
    capabilities: { drop: ["ALL"] },
    seccomp_profile: { type: "RuntimeDefault" },
  },
  resources: { requests: { cpu: "4", memory: "32Gi" }, limits: { memory: "32Gi", "nvidia.com/gpu": "1" } },
  liveness_probe: { http_get: { path: "/health", port: "8000" } },
  readiness_probe: { http_get: { path: "/health", port: "8000" } },
};
const deployment = (container: Record<string, unknown>, metadata: Record<string, unknown> = { name: "d", namespace: "inference" }, pod: Record<string, unknown> = {}) =>
  tf({ kubernetes_deployment_v1: { d: { metadata, spec: { template: { metadata: {}, spec: { ...pod, container: [{ ...goodContainer, ...container }] } } } } } });
const cronJob = (container: Record<string, unknown>) =>
  tf({
    kubernetes_cron_job_v1: {
      j: { metadata: { name: "j", namespace: "batch" }, spec: { schedule: "0 * * * *", job_template: { metadata: {}, spec: { template: { metadata: {}, spec: { container: [{ ...goodContainer, ...container }] } } } } } },
    },
  });
const goodManifestContainer = {
  name: "worker",
  image: "ghcr.io/acme/worker@sha256:" + "a".repeat(64),
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { memory: "1Gi" } },
  livenessProbe: { httpGet: { path: "/", port: 8080 } },
  readinessProbe: { httpGet: { path: "/", port: 8080 } },
};
const manifestDeployment = (container: Record<string, unknown>, namespace = "inference") =>
  tf({
    kubernetes_manifest: {
      m: {
        manifest: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "w", ...(namespace ? { namespace } : {}) },
          spec: { template: { spec: { securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }, containers: [{ ...goodManifestContainer, ...container }] } } },
        },
      },
    },
  });
const istio = (kind: string, spec: Record<string, unknown>) =>
  tf({ kubernetes_manifest: { i: { manifest: { apiVersion: "security.istio.io/v1", kind, metadata: { name: "x", namespace: "inference" }, spec } } } });
const destinationRule = (spec: Record<string, unknown>) =>
  tf({ kubernetes_manifest: { i: { manifest: { apiVersion: "networking.istio.io/v1", kind: "DestinationRule", metadata: { name: "x", namespace: "inference" }, spec } } } });
const helm = (over: Record<string, unknown>) =>
  tf({ helm_release: { h: { name: "istiod", chart: "istiod", repository: "https://istio-release.storage.googleapis.com/charts", version: "1.24.1", ...over } } });

export const KUBERNETES_CASES: readonly RuleCase[] = [
  { rule: "HR-K8S-1", name: "restricted typed deployment", address: "kubernetes_deployment_v1.d", json: deployment({}), expect: "compliant" },
  { rule: "HR-K8S-1", name: "restricted manifest (pod-level runAsNonRoot and seccomp)", address: "kubernetes_manifest.m", json: manifestDeployment({}), expect: "compliant" },
  {
    rule: "HR-K8S-1",
    name: "root with escalation",
    address: "kubernetes_deployment_v1.d",
    json: deployment({ security_context: { read_only_root_filesystem: true, capabilities: { drop: ["NET_RAW"] } } }),
    expect: "non-compliant",
    reason: "runAsNonRoot, allowPrivilegeEscalation=false, drop ALL capabilities, seccomp RuntimeDefault",
  },
  {
    rule: "HR-K8S-1",
    name: "pod-level settings on a typed deployment",
    address: "kubernetes_deployment_v1.d",
    json: deployment(
      { security_context: { allow_privilege_escalation: false, read_only_root_filesystem: true, capabilities: { drop: ["ALL"] } } },
      { name: "d", namespace: "inference" },
      { security_context: { run_as_non_root: "true", seccomp_profile: { type: "RuntimeDefault" } } },
    ),
    expect: "compliant",
  },
  { rule: "HR-K8S-1", name: "writable root filesystem in a cron job", address: "kubernetes_cron_job_v1.j", json: cronJob({ security_context: { ...goodContainer.security_context, read_only_root_filesystem: false } }), expect: "non-compliant", reason: "readOnlyRootFilesystem" },
  { rule: "HR-K8S-1", name: "manifest of a Service", address: "kubernetes_manifest.s", json: tf({ kubernetes_manifest: { s: { manifest: { apiVersion: "v1", kind: "Service", metadata: { name: "s" } } } } }), expect: "not-applicable" },
  { rule: "HR-K8S-2", name: "requests and memory limit", address: "kubernetes_deployment_v1.d", json: deployment({}), expect: "compliant" },
  { rule: "HR-K8S-2", name: "no resources", address: "kubernetes_manifest.m", json: manifestDeployment({ resources: undefined }), expect: "non-compliant", reason: "requests.cpu, requests.memory, limits.memory" },
  { rule: "HR-K8S-3", name: "version tag", address: "kubernetes_deployment_v1.d", json: deployment({}), expect: "compliant" },
  { rule: "HR-K8S-3", name: "digest", address: "kubernetes_manifest.m", json: manifestDeployment({}), expect: "compliant" },
  { rule: "HR-K8S-3", name: "latest", address: "kubernetes_deployment_v1.d", json: deployment({ image: "vllm/vllm-openai:latest" }), expect: "non-compliant", reason: "latest tag" },
  { rule: "HR-K8S-3", name: "no tag (registry with a port)", address: "kubernetes_deployment_v1.d", json: deployment({ image: "registry.local:5000/vllm" }), expect: "non-compliant", reason: "has no tag" },
  { rule: "HR-K8S-4", name: "both probes", address: "kubernetes_deployment_v1.d", json: deployment({}), expect: "compliant" },
  { rule: "HR-K8S-4", name: "job", address: "kubernetes_cron_job_v1.j", json: cronJob({ liveness_probe: undefined }), expect: "not-applicable" },
  { rule: "HR-K8S-4", name: "no liveness", address: "kubernetes_manifest.m", json: manifestDeployment({ livenessProbe: undefined }), expect: "non-compliant", reason: "no liveness probe" },
  { rule: "HR-K8S-5", name: "own namespace", address: "kubernetes_deployment_v1.d", json: deployment({}), expect: "compliant" },
  { rule: "HR-K8S-5", name: "default namespace", address: "kubernetes_deployment_v1.d", json: deployment({}, { name: "d", namespace: "default" }), expect: "non-compliant", reason: '"default"' },
  { rule: "HR-K8S-5", name: "namespace unset", address: "kubernetes_manifest.m", json: manifestDeployment({}, ""), expect: "non-compliant", reason: "unset" },
  { rule: "HR-MESH-1", name: "STRICT", address: "kubernetes_manifest.i", json: istio("PeerAuthentication", { mtls: { mode: "STRICT" } }), expect: "compliant" },
  { rule: "HR-MESH-1", name: "PERMISSIVE", address: "kubernetes_manifest.i", json: istio("PeerAuthentication", { mtls: { mode: "PERMISSIVE" } }), expect: "non-compliant", reason: '"PERMISSIVE"' },
  {
    rule: "HR-MESH-1",
    name: "port-level DISABLE",
    address: "kubernetes_manifest.i",
    json: istio("PeerAuthentication", { mtls: { mode: "STRICT" }, portLevelMtls: { "9090": { mode: "DISABLE" } } }),
    expect: "non-compliant",
    reason: "port 9090",
  },
  { rule: "HR-MESH-2", name: "ISTIO_MUTUAL", address: "kubernetes_manifest.i", json: destinationRule({ host: "x", trafficPolicy: { tls: { mode: "ISTIO_MUTUAL" } } }), expect: "compliant" },
  {
    rule: "HR-MESH-2",
    name: "DISABLE in a subset",
    address: "kubernetes_manifest.i",
    json: destinationRule({ host: "x", subsets: [{ name: "canary", trafficPolicy: { tls: { mode: "DISABLE" } } }] }),
    expect: "non-compliant",
    reason: "spec.subsets[0].trafficPolicy.tls.mode",
  },
  { rule: "HR-HELM-1", name: "exact version", address: "helm_release.h", json: helm({}), expect: "compliant" },
  { rule: "HR-HELM-1", name: "no version", address: "helm_release.h", json: helm({ version: undefined }), expect: "non-compliant", reason: "not set" },
  { rule: "HR-HELM-1", name: "range", address: "helm_release.h", json: helm({ version: "^1.24" }), expect: "non-compliant", reason: "range" },
  { rule: "HR-HELM-2", name: "https", address: "helm_release.h", json: helm({}), expect: "compliant" },
  { rule: "HR-HELM-2", name: "oci chart", address: "helm_release.h", json: helm({ repository: undefined, chart: "oci://ghcr.io/kedacore/charts/keda" }), expect: "compliant" },
  { rule: "HR-HELM-2", name: "plain http", address: "helm_release.h", json: helm({ repository: "http://charts.example.com" }), expect: "non-compliant", reason: "not https" },
  { rule: "HR-SEC-1", name: "references only", address: "helm_release.h", json: helm({ set_sensitive: [{ name: "adminPassword", value: ref("random_password.p", "result") }] }), expect: "compliant" },
  { rule: "HR-SEC-1", name: "settings that look like secrets", address: "aws_launch_template.t", json: tf({ aws_launch_template: { t: { metadata_options: { http_tokens: "required" } } } }), expect: "compliant" },
  {
    rule: "HR-SEC-1",
    name: "names of secrets and token settings",
    address: "kubernetes_deployment_v1.d",
    json: deployment({ env: [{ name: "REDIS_AUTH_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:1:secret:x" }, { name: "KAFKA_TOKEN_PROVIDER", value: "aws_msk_iam" }] }),
    expect: "compliant",
  },
  { rule: "HR-SEC-1", name: "literal env secret", address: "kubernetes_deployment_v1.d", json: deployment({ env: [{ name: "HF_TOKEN", value: "hf_abcdefghijklmnop" }] }), expect: "non-compliant", reason: "HF_TOKEN" },
  { rule: "HR-SEC-1", name: "helm value by name", address: "helm_release.h", json: helm({ set: [{ name: "grafana.adminPassword", value: "changeme123" }] }), expect: "non-compliant", reason: "grafana.adminPassword" },
  {
    rule: "HR-SEC-1",
    name: "literal password attribute",
    address: "aws_db_instance.db",
    json: tf({ aws_db_instance: { db: { password: "S3cr3t-passw0rd" } } }),
    expect: "non-compliant",
    reason: "password: literal value",
  },
  {
    rule: "HR-SEC-1",
    name: "PEM key in a kubernetes secret",
    address: "kubernetes_secret_v1.s",
    json: tf({ kubernetes_secret_v1: { s: { metadata: { name: "s", namespace: "x" }, data: { "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE...\n-----END RSA PRIVATE KEY-----" } } } }),
    expect: "non-compliant",
    reason: "PEM private key",
  },
  {
    rule: "HR-SEC-1",
    name: "AWS keys in a provider block",
    address: "provider.aws[0]",
    json: { provider: { aws: [{ region: "us-east-1", access_key: "AKIAIOSFODNN7EXAMPLE", secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }] } },
    expect: "non-compliant",
    reason: "AWS access key id",
  },
  { rule: "HR-SEC-1", name: "output of a reference", address: "output.db_password", json: { output: { db_password: { value: ref("random_password.p", "result"), sensitive: true } } }, expect: "compliant" },
  { rule: "HR-SEC-1", name: "literal output", address: "output.db_password", json: { output: { db_password: { value: "S3cr3t-passw0rd" } } }, expect: "non-compliant", reason: "literal value for db_password" },
  { rule: "HR-SEC-1", name: "variable default", address: "var.api_token", json: { variable: { api_token: { type: "string", default: "tok-1234567890" } } }, expect: "non-compliant", reason: "api_token" },
  { rule: "HR-SEC-1", name: "locals", address: "locals", json: { locals: { grafana: { admin_password: "admin123456" } } }, expect: "non-compliant", reason: "grafana.admin_password" },
  { rule: "HR-STATE-1", name: "encrypted, locked S3 backend", address: "terraform", json: tf({}, { terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true, use_lockfile: true } } } }), expect: "compliant" },
  { rule: "HR-STATE-1", name: "HCP Terraform", address: "terraform", json: tf({}, { terraform: { cloud: { organization: "o" } } }), expect: "compliant" },
  { rule: "HR-STATE-1", name: "S3 without locking", address: "terraform", json: tf({}, { terraform: { backend: { s3: { bucket: "b", key: "k", encrypt: true } } } }), expect: "non-compliant", reason: "use_lockfile" },
  { rule: "HR-STATE-1", name: "local backend", address: "terraform", json: tf({}, { terraform: { backend: { local: { path: "x" } } } }), expect: "non-compliant", reason: "local backend" },
  { rule: "HR-STATE-1", name: "local backend in developer mode", address: "terraform", json: tf({}, { terraform: { backend: { local: { path: "x" } } } }), expect: "not-applicable", allowLocalState: true },
  {
    rule: "HR-STATE-1",
    name: "developer mode still checks a remote backend",
    address: "terraform",
    json: tf({}, { terraform: { backend: { s3: { bucket: "b", key: "k" } } } }),
    expect: "non-compliant",
    reason: "encrypt",
    allowLocalState: true,
  },
  { rule: "HR-DATA-1", name: "prevent_destroy", address: "aws_msk_cluster.m", json: tf({ aws_msk_cluster: { m: { lifecycle: { prevent_destroy: true } } } }), expect: "compliant" },
  { rule: "HR-DATA-1", name: "destroyable key", address: "aws_kms_key.k", json: tf({ aws_kms_key: { k: { enable_key_rotation: true } } }), expect: "non-compliant", reason: "prevent_destroy" },
  { rule: "HR-DATA-2", name: "no force_destroy", address: "aws_s3_bucket.b", json: tf({ aws_s3_bucket: { b: { bucket: "b" } } }), expect: "compliant" },
  { rule: "HR-DATA-2", name: "force_destroy", address: "aws_s3_bucket.b", json: tf({ aws_s3_bucket: { b: { bucket: "b", force_destroy: true } } }), expect: "non-compliant", reason: "force_destroy" },
];
