/**
 * A small stack built from real provider classes that passes every rule: the
 * reference for what compliant JSON looks like, and the base that tests break
 * one setting at a time.
 */
import { S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbProxy } from "@cdktf/provider-aws/lib/db-proxy";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { EksCluster } from "@cdktf/provider-aws/lib/eks-cluster";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { Release } from "@cdktf/provider-helm/lib/release";
import { LOAD_BALANCER_TAG } from "../../lib/compliance";

/** The resources tests reach into. */
export interface HardenedStack {
  readonly key: KmsKey;
  readonly bucket: S3Bucket;
  readonly cluster: EksCluster;
  readonly primary: DbInstance;
  readonly replica: DbInstance;
  readonly lbGroup: SecurityGroup;
  readonly data: Construct;
}

/** Adds a fully compliant set of resources to `stack` (which must have AWS, kubernetes and helm providers). */
export function addHardenedResources(stack: TerraformStack): HardenedStack {
  // cdktf 0.21's S3BackendConfig predates S3-native locking: use_lockfile goes in as an override.
  new S3Backend(stack, { bucket: "state", key: "test.tfstate", region: "us-east-1", encrypt: true }).addOverride("use_lockfile", true);
  const key = new KmsKey(stack, "key", { enableKeyRotation: true, lifecycle: { preventDestroy: true } });

  const vpc = new Vpc(stack, "vpc", { cidrBlock: "10.0.0.0/16" });
  new DefaultSecurityGroup(stack, "default-sg", { vpcId: vpc.id });
  const logs = new CloudwatchLogGroup(stack, "flow-logs", { name: "flow", kmsKeyId: key.arn, retentionInDays: 90 });
  new FlowLog(stack, "flow", { vpcId: vpc.id, trafficType: "ALL", logDestination: logs.arn });
  const lbGroup = new SecurityGroup(stack, "lb", { vpcId: vpc.id, description: "public load balancer", tags: { [LOAD_BALANCER_TAG.key]: LOAD_BALANCER_TAG.value } });
  new VpcSecurityGroupIngressRule(stack, "https", {
    securityGroupId: lbGroup.id,
    cidrIpv4: "0.0.0.0/0",
    ipProtocol: "tcp",
    fromPort: 443,
    toPort: 443,
    description: "HTTPS from the internet",
  });

  const bucket = new S3Bucket(stack, "bucket", { bucket: "models", lifecycle: { preventDestroy: true } });
  new S3BucketPublicAccessBlock(stack, "bucket-pab", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
  new S3BucketServerSideEncryptionConfigurationA(stack, "bucket-sse", {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
  });
  new S3BucketVersioningA(stack, "bucket-versioning", { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } });
  new S3BucketOwnershipControls(stack, "bucket-ownership", { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
  const tlsOnly = new DataAwsIamPolicyDocument(stack, "bucket-tls", {
    statement: [
      {
        effect: "Deny",
        actions: ["s3:*"],
        resources: [bucket.arn, `${bucket.arn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ],
  });
  new S3BucketPolicy(stack, "bucket-policy", { bucket: bucket.id, policy: tlsOnly.json });

  const role = new IamRole(stack, "node-role", {
    assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
  });
  new IamRolePolicy(stack, "node-policy", {
    role: role.name,
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: [bucket.arn, `${bucket.arn}/*`] }] }),
  });

  const cluster = new EksCluster(stack, "cluster", {
    name: "c",
    roleArn: role.arn,
    vpcConfig: { subnetIds: ["subnet-a"], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.arn } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
  });
  const template = new LaunchTemplate(stack, "nodes-lt", {
    metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" },
    blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: key.arn, volumeType: "gp3", volumeSize: 200 } }],
  });
  new EksNodeGroup(stack, "nodes", {
    clusterName: cluster.name,
    nodeRoleArn: role.arn,
    subnetIds: ["subnet-a"],
    scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
    launchTemplate: { id: template.id, version: `${template.latestVersion}` },
  });

  // Stateful data under one scope, so a suppression on it covers all of them.
  const data = new Construct(stack, "data");
  const parameters = new DbParameterGroup(data, "pg", { family: "postgres16", parameter: [{ name: "rds.force_ssl", value: "1" }] });
  const primary = new DbInstance(data, "primary", {
    identifier: "db",
    engine: "postgres",
    instanceClass: "db.r6g.large",
    allocatedStorage: 100,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    deletionProtection: true,
    backupRetentionPeriod: 14,
    iamDatabaseAuthenticationEnabled: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: key.arn,
    publiclyAccessible: false,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: key.arn,
    username: "app",
    parameterGroupName: parameters.name,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "db-final",
    multiAz: true,
    lifecycle: { preventDestroy: true },
  });
  const replica = new DbInstance(data, "replica", {
    identifier: "db-replica",
    replicateSourceDb: primary.identifier,
    instanceClass: "db.r6g.large",
    deletionProtection: true,
    iamDatabaseAuthenticationEnabled: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: key.arn,
    parameterGroupName: parameters.name,
    skipFinalSnapshot: true,
    lifecycle: { preventDestroy: true },
  });
  new DbProxy(data, "proxy", {
    name: "p",
    engineFamily: "POSTGRESQL",
    roleArn: role.arn,
    vpcSubnetIds: ["subnet-a"],
    requireTls: true,
    auth: [{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: primary.masterUserSecret.get(0).secretArn }],
  });
  new ElasticacheReplicationGroup(data, "redis", {
    replicationGroupId: "r",
    description: "cache",
    nodeType: "cache.r7g.large",
    atRestEncryptionEnabled: "true",
    kmsKeyId: key.arn,
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    userGroupIds: ["${aws_elasticache_user_group.g.id}"],
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    numCacheClusters: 2,
    snapshotRetentionLimit: 7,
    lifecycle: { preventDestroy: true },
  });
  new MskCluster(data, "kafka", {
    clusterName: "k",
    kafkaVersion: "3.6.0",
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: { clientSubnets: ["a", "b", "c"], instanceType: "kafka.m7g.large", securityGroups: [lbGroup.id] },
    encryptionInfo: { encryptionAtRestKmsKeyArn: key.arn, encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
    clientAuthentication: { sasl: { iam: true }, unauthenticated: false },
    loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: logs.name } } },
    lifecycle: { preventDestroy: true },
  });

  new DeploymentV1(stack, "server", {
    metadata: { name: "server", namespace: "inference" },
    spec: {
      selector: { matchLabels: { app: "server" } },
      template: {
        metadata: { labels: { app: "server" } },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
          container: [
            {
              name: "server",
              image: "vllm/vllm-openai:v0.6.3",
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { requests: { cpu: "4", memory: "32Gi" }, limits: { memory: "32Gi" } },
              livenessProbe: { httpGet: { path: "/health", port: "8000" } },
              readinessProbe: { httpGet: { path: "/health", port: "8000" } },
            },
          ],
        },
      },
    },
  });
  new Release(stack, "istiod", { name: "istiod", chart: "istiod", repository: "https://istio-release.storage.googleapis.com/charts", version: "1.24.1", namespace: "istio-system" });

  return { key, bucket, cluster, primary, replica, lbGroup, data };
}
