#!/usr/bin/env node
// The benchmark peer (see scripts/bench.mjs): cdk-eks-blueprints, the best-known open-source
// blueprint of EKS + add-ons, synthesizing three environments (dev, staging, prod) with plain node
// (already JavaScript: nothing to compile). Each environment is one EKS cluster with a managed
// node group and the usual add-ons. Output: $CDK_OUTDIR or cdk.out.
const cdk = require("aws-cdk-lib");
const { KubernetesVersion } = require("aws-cdk-lib/aws-eks");
const blueprints = require("@aws-quickstart/eks-blueprints");

const app = new cdk.App({ outdir: process.env.CDK_OUTDIR ?? "cdk.out" });
const environments = {
  dev: { minSize: 1, maxSize: 3 },
  staging: { minSize: 2, maxSize: 6 },
  prod: { minSize: 3, maxSize: 12 },
};
async function main() {
  for (const [name, size] of Object.entries(environments)) {
    // buildAsync: some add-ons finish asynchronously; synth only once every stack is complete.
    await blueprints.EksBlueprint.builder()
    .account("123456789012")
    .region("us-east-1")
    .version(KubernetesVersion.V1_33)
    .clusterProvider(new blueprints.MngClusterProvider({ version: KubernetesVersion.V1_33, minSize: size.minSize, maxSize: size.maxSize, desiredSize: size.minSize }))
    .addOns(
      // Pinned versions (the add-ons' own defaults for 1.33): "auto" would ask the EKS API.
      new blueprints.addons.VpcCniAddOn({ version: "v1.20.4-eksbuild.2" }),
      new blueprints.addons.CoreDnsAddOn("v1.12.1-eksbuild.2"),
      new blueprints.addons.KubeProxyAddOn("v1.33.3-eksbuild.4"),
      new blueprints.addons.EbsCsiDriverAddOn({ version: "v1.56.0-eksbuild.1" }),
      new blueprints.addons.AwsLoadBalancerControllerAddOn(),
      new blueprints.addons.MetricsServerAddOn(),
      new blueprints.addons.ClusterAutoScalerAddOn(),
      new blueprints.addons.CertManagerAddOn(),
      new blueprints.addons.KubeStateMetricsAddOn(),
      new blueprints.addons.PrometheusNodeExporterAddOn(),
      new blueprints.addons.KedaAddOn(),
    )
    .buildAsync(app, `${name}-blueprint`);
  }
  app.synth();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
