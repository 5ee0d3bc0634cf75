import { chartFolder, versionMatches } from "../../lib/addons/private/helm-render";
import { standInFor, valuesDocument } from "../../lib/addons/private/terraform-values";

describe("Terraform values documents as plain data for helm template", () => {
  test("references inside JSON strings become stand-ins; the rest is untouched", () => {
    const doc = JSON.stringify({
      vpcId: "${data.terraform_remote_state.cross-stack-reference-input-dev-foundation.outputs.cross-stack-output-aws_vpcNetwork_1C6012B5id}",
      logGroupName: "${aws_cloudwatch_log_group.ContainerLogs_LogGroup_56DAA28F.name}",
      nested: { list: ["a", "prefix-${aws_x.y.id}-suffix"], n: 3, b: true },
    });
    expect(valuesDocument(doc)).toEqual({
      vpcId: "tfref-cross-stack-output-aws-vpcnetwork-1c6012b5id",
      logGroupName: "tfref-name",
      nested: { list: ["a", "prefix-tfref-id-suffix"], n: 3, b: true },
    });
  });

  test("a whole jsonencode expression is evaluated: split, replace and formatlist keep a list a list", () => {
    const ref = "data.terraform_remote_state.f.outputs.brokers";
    const doc =
      '${jsonencode({"prometheus" = {"prometheusSpec" = {"additionalScrapeConfigs" = [{"job_name" = "msk-jmx", ' +
      `"static_configs" = [{"targets" = formatlist("%s:11001", split(",", replace(${ref}, ":9098", ""))), "labels" = {"exporter" = "jmx"}}]}]}}})}`;
    expect(valuesDocument(doc)).toEqual({
      prometheus: {
        prometheusSpec: {
          additionalScrapeConfigs: [{ job_name: "msk-jmx", static_configs: [{ targets: [`${standInFor(ref)}:11001`], labels: { exporter: "jmx" } }] }],
        },
      },
    });
  });

  test("functions evaluate like Terraform's on known values", () => {
    expect(valuesDocument('${jsonencode({a = split(",", "h1:9098,h2:9098"), b = join("-", ["x", "y"]), c = [1, 2.5, true, null]})}')).toEqual({
      a: ["h1:9098", "h2:9098"],
      b: "x-y",
      c: [1, 2.5, true, null],
    });
    expect(valuesDocument('${jsonencode({t = formatlist("%s:%s", ["a", "b"], "80"), r = replace("a:1,b:1", ":1", ""), f = format("%s/%s", "x", 2)})}')).toEqual({
      t: ["a:80", "b:80"],
      r: "a,b",
      f: "x/2",
    });
  });

  test("an unknown function fails loudly instead of guessing a shape", () => {
    expect(() => valuesDocument('${jsonencode({a = cidrsubnet("10.0.0.0/16", 8, 1)})}')).toThrow(/function cidrsubnet\(\) has no stand-in evaluation/);
    expect(() => valuesDocument('{"a": "${unterminated"}')).toThrow(/unterminated Terraform interpolation/);
  });
});

describe("chart folders of the render gate", () => {
  test("<chart>-<version>, Istio's sub-charts explicitly, OCI references by their last segment", () => {
    const dirs = ["/nonexistent-charts"];
    expect(chartFolder(dirs, "https://kedacore.github.io/charts", "keda", "2.18.0")).toBe("/nonexistent-charts/keda-2.18.0");
    expect(chartFolder(dirs, "oci://public.ecr.aws/karpenter", "karpenter-crd", "1.14.1")).toBe("/nonexistent-charts/karpenter-crd-1.14.1");
    expect(chartFolder(dirs, undefined, "oci://public.ecr.aws/karpenter/karpenter", "1.14.1")).toBe("/nonexistent-charts/karpenter-1.14.1");
    const istio = "https://istio-release.storage.googleapis.com/charts";
    expect(["base", "cni", "istiod", "gateway"].map((c) => chartFolder(dirs, istio, c, "1.30.3"))).toEqual(
      ["base", "istio-cni", "istio-discovery", "gateway"].map((f) => `/nonexistent-charts/istio-1.30.3/${f}`),
    );
  });

  test("dependency version constraints as Chart.yaml writes them", () => {
    expect(versionMatches("2.x.x", "2.31.10")).toBe(true);
    expect(versionMatches("0.12.*", "0.12.8")).toBe(true);
    expect(versionMatches("6.1.4", "6.1.4")).toBe(true);
    expect(versionMatches("6.1.4", "6.1.5")).toBe(false);
    expect(versionMatches("2.x.x", "3.0.0")).toBe(false);
    expect(versionMatches("^1.2.0", "1.9.0")).toBe(true);
  });
});
