import { podSecurityViolations, podTemplateOf } from "../../lib/addons/private/pod-security";

/** A pod the restricted level admits: every field it checks set to the compliant value. */
const restrictedPod = (): any => ({
  securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
  containers: [
    {
      name: "app",
      image: "app:1",
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
      ports: [{ name: "http", containerPort: 8080 }],
    },
  ],
  initContainers: [{ name: "init", image: "init:1", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } } }],
  volumes: [{ name: "tmp", emptyDir: {} }, { name: "cfg", configMap: { name: "c" } }, { name: "tok", projected: { sources: [] } }],
});

const controls = (pod: any, level: "restricted" | "baseline" | "privileged", annotations = {}): string[] =>
  podSecurityViolations(pod, level, annotations).map((v) => `${v.control}@${v.path}`);

describe("Pod Security Standards check", () => {
  test("a compliant pod passes restricted, baseline and privileged", () => {
    for (const level of ["restricted", "baseline", "privileged"] as const) expect(controls(restrictedPod(), level)).toEqual([]);
  });

  test("restricted: missing seccomp, runAsNonRoot, allowPrivilegeEscalation and drop ALL are each refused, per container", () => {
    const pod = restrictedPod();
    delete pod.securityContext;
    pod.containers[0].securityContext = {};
    expect(controls(pod, "restricted")).toEqual([
      "runAsNonRoot@initContainers[init].securityContext.runAsNonRoot",
      "seccompProfile@initContainers[init].securityContext.seccompProfile",
      "allowPrivilegeEscalation@containers[app].securityContext.allowPrivilegeEscalation",
      "runAsNonRoot@containers[app].securityContext.runAsNonRoot",
      "seccompProfile@containers[app].securityContext.seccompProfile",
      "capabilities@containers[app].securityContext.capabilities.drop",
    ]);
    // The same pod is admitted by baseline: none of these are baseline controls.
    expect(controls(pod, "baseline")).toEqual([]);
  });

  test("container-level settings override the pod's; an explicit Unconfined or runAsNonRoot false fails", () => {
    const pod = restrictedPod();
    pod.containers[0].securityContext.seccompProfile = { type: "Unconfined" };
    pod.containers[0].securityContext.runAsNonRoot = false;
    expect(controls(pod, "restricted")).toEqual([
      "seccompProfile@containers[app].securityContext.seccompProfile.type",
      "runAsNonRoot@containers[app].securityContext.runAsNonRoot",
      "seccompProfile@containers[app].securityContext.seccompProfile",
    ]);
    // Unconfined is a baseline violation too.
    expect(controls(pod, "baseline")).toEqual(["seccompProfile@containers[app].securityContext.seccompProfile.type"]);
    const localhost = restrictedPod();
    localhost.securityContext.seccompProfile = { type: "Localhost", localhostProfile: "p.json" };
    expect(controls(localhost, "restricted")).toEqual([]);
  });

  test("restricted: only NET_BIND_SERVICE may be added; runAsUser 0 and non-allowed volume types are refused", () => {
    const pod = restrictedPod();
    pod.containers[0].securityContext.capabilities.add = ["NET_BIND_SERVICE", "CHOWN"];
    pod.containers[0].securityContext.runAsUser = 0;
    pod.volumes.push({ name: "nfs", nfs: { server: "s", path: "/" } });
    expect(controls(pod, "restricted")).toEqual([
      "volumeTypes@volumes[nfs].nfs",
      "runAsUser@containers[app].securityContext.runAsUser",
      "capabilities@containers[app].securityContext.capabilities.add",
    ]);
    // CHOWN is in baseline's default set, and nfs and root are allowed by baseline.
    expect(controls(pod, "baseline")).toEqual([]);
  });

  test("baseline: host namespaces, hostPath, privileged, hostPort, extra capabilities, unsafe sysctls, procMount, SELinux, AppArmor", () => {
    const pod = restrictedPod();
    Object.assign(pod, { hostNetwork: true, hostPID: true, hostIPC: false });
    pod.volumes.push({ name: "logs", hostPath: { path: "/var/log" } });
    pod.securityContext.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }, { name: "kernel.msgmax", value: "1" }];
    pod.securityContext.seLinuxOptions = { type: "spc_t" };
    Object.assign(pod.containers[0].securityContext, {
      privileged: true,
      procMount: "Unmasked",
      capabilities: { drop: ["ALL"], add: ["SYS_ADMIN", "NET_BIND_SERVICE"] },
      appArmorProfile: { type: "Unconfined" },
    });
    pod.containers[0].ports.push({ name: "metrics", containerPort: 9100, hostPort: 9100 });
    expect(controls(pod, "baseline", { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" })).toEqual([
      "hostNamespaces@hostNetwork",
      "hostNamespaces@hostPID",
      "hostPathVolumes@volumes[logs].hostPath",
      "seLinuxOptions@securityContext.seLinuxOptions.type",
      "sysctls@securityContext.sysctls[kernel.msgmax]",
      "appArmorProfile@metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]",
      "privileged@containers[app].securityContext.privileged",
      "capabilities@containers[app].securityContext.capabilities.add",
      "procMount@containers[app].securityContext.procMount",
      "appArmorProfile@containers[app].securityContext.appArmorProfile.type",
      "hostPorts@containers[app].ports[metrics].hostPort",
    ]);
    expect(controls(pod, "privileged")).toEqual([]);
  });

  test("every level's violations carry the level whose check failed", () => {
    const pod = restrictedPod();
    pod.hostNetwork = true;
    delete pod.securityContext.seccompProfile;
    const levels = podSecurityViolations(pod, "restricted").map((v) => [v.control, v.level]);
    expect(levels).toEqual(
      expect.arrayContaining([
        ["hostNamespaces", "baseline"],
        ["seccompProfile", "restricted"],
      ]),
    );
  });

  test("pod templates are found in every workload kind", () => {
    const spec = restrictedPod();
    const template = { metadata: { annotations: { a: "b" } }, spec };
    expect(podTemplateOf({ kind: "Deployment", spec: { template } })).toEqual({ spec, annotations: { a: "b" } });
    expect(podTemplateOf({ kind: "DaemonSet", spec: { template } })?.spec).toBe(spec);
    expect(podTemplateOf({ kind: "StatefulSet", spec: { template } })?.spec).toBe(spec);
    expect(podTemplateOf({ kind: "Job", spec: { template } })?.spec).toBe(spec);
    expect(podTemplateOf({ kind: "CronJob", spec: { jobTemplate: { spec: { template } } } })?.spec).toBe(spec);
    expect(podTemplateOf({ kind: "Pod", metadata: {}, spec })?.spec).toBe(spec);
    expect(podTemplateOf({ kind: "Service", spec: {} })).toBeUndefined();
  });
});
