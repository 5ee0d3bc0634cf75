import { Fn } from "cdktf";
import { Construct } from "constructs";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbProxy } from "@cdktf/provider-aws/lib/db-proxy";
import { DbProxyDefaultTargetGroup } from "@cdktf/provider-aws/lib/db-proxy-default-target-group";
import { DbProxyTarget } from "@cdktf/provider-aws/lib/db-proxy-target";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { pinAddress } from "../core/stable-address";
import { Problems } from "../core/validation";
import { Connections, IConnectable, Port, SecurityGroup } from "../network/connections";
import { EncryptedLogGroup } from "../security/encrypted-log-group";
import { IGrantable } from "../security/policy";
import { awsContext } from "../security/private/aws-context";
import { MAX_READ_REPLICAS, POSTGRES_MAJOR_VERSIONS, PostgresMajorVersion, RDS_CA_CERT_IDENTIFIER } from "./private/catalog";
import { checkCommonProps, DataServiceProps, tagsOf } from "./private/common";
import { monitoringRole, proxyRole } from "./private/rds-roles";

/** Connection pool of the RDS Proxy in front of the primary. */
export interface DatabaseProxyPoolProps {
  /**
   * Share of the primary's `max_connections` the proxy may open, percent (1-100).
   * The default keeps 30% headroom for administration and replication (capacity-data.md).
   * @default 70
   */
  readonly maxConnectionsPercent?: number;
  /**
   * Share of `max_connections` the proxy keeps open while idle, percent (at most maxConnectionsPercent).
   * @default 50
   */
  readonly maxIdleConnectionsPercent?: number;
  /**
   * Seconds a client waits for a pooled connection before an error (0-3600). Shorter than the
   * RDS default of 120 s so a saturated pool fails fast instead of piling up requests.
   * @default 30
   */
  readonly connectionBorrowTimeoutSeconds?: number;
  /**
   * Seconds an idle client connection stays open (1-28800).
   * @default 1800
   */
  readonly idleClientTimeoutSeconds?: number;
}

/** Properties of {@link Database}. */
export interface DatabaseProps extends DataServiceProps {
  /** Instance class of the primary, e.g. `db.r7g.xlarge`. */
  readonly instanceClass: string;
  /** gp3 storage of the primary at creation, GiB (20-65536). */
  readonly allocatedStorageGiB: number;
  /**
   * Storage autoscaling ceiling, GiB (at least 10% above allocatedStorageGiB).
   * @default 2 x allocatedStorageGiB, at most 65536
   */
  readonly maxAllocatedStorageGiB?: number;
  /**
   * Read replicas (0-15), reached directly through {@link Database.readReplicaEndpoints}.
   * @default 0
   */
  readonly readReplicas?: number;
  /**
   * Instance class of the read replicas.
   * @default instanceClass
   */
  readonly replicaInstanceClass?: string;
  /**
   * Availability zones the replicas are placed in, round-robin (names such as `us-east-1a`).
   * @default RDS chooses a zone for each replica
   */
  readonly availabilityZones?: readonly string[];
  /**
   * PostgreSQL major version; automatic minor upgrades keep the minor current.
   * @default "17"
   */
  readonly engineMajorVersion?: PostgresMajorVersion;
  /**
   * Name of the database created at launch.
   * @default "headroom"
   */
  readonly databaseName?: string;
  /**
   * Master user name; its password is generated and kept by RDS in Secrets Manager.
   * @default "headroom_admin"
   */
  readonly masterUsername?: string;
  /**
   * Multi-AZ standby for the primary. Turning it off is an opt-out for throwaway environments.
   * @default true
   */
  readonly multiAz?: boolean;
  /**
   * Automated backups kept, days (7-35).
   * @default 7
   */
  readonly backupRetentionDays?: number;
  /**
   * Daily backup window, UTC `hh:mm-hh:mm`.
   * @default "02:00-03:00"
   */
  readonly backupWindow?: string;
  /**
   * Weekly maintenance window, UTC `ddd:hh:mm-ddd:hh:mm`.
   * @default "sun:03:30-sun:04:30"
   */
  readonly maintenanceWindow?: string;
  /**
   * RDS deletion protection on every instance. Turn it off only to tear down (lib/data/README.md).
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Performance Insights retention, days: 7, or a multiple of 31 up to 731.
   * @default 7
   */
  readonly performanceInsightsRetentionDays?: number;
  /**
   * Enhanced monitoring interval, seconds: 1, 5, 10, 15, 30 or 60.
   * @default 60
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Statements slower than this are logged (`log_min_duration_statement`), milliseconds.
   * @default 1000
   */
  readonly slowQueryMilliseconds?: number;
  /** RDS Proxy connection pool. @default the defaults of {@link DatabaseProxyPoolProps} */
  readonly proxy?: DatabaseProxyPoolProps;
  /**
   * Further Secrets Manager secrets (`{"username","password"}` of application users) the proxy
   * may use, so workloads can connect as least-privileged users instead of the master user.
   * @default none: only the managed master user secret
   */
  readonly proxyUserSecretArns?: readonly string[];
}

const PORT = 5432;
const PERFORMANCE_INSIGHTS_RETENTION = [7, ...Array.from({ length: 23 }, (_, i) => 31 * (i + 1)), 731];
const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];
const LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/**
 * RDS for PostgreSQL for the source article's read-heavy queries and its connection-pool lesson
 * (the bank case exhausted connections at 2,000 concurrent requests): a Multi-AZ primary with
 * encrypted gp3 storage and storage autoscaling, up to 15 read replicas spread over zones,
 * an RDS Proxy with TLS and IAM authentication in front of the primary, an RDS-managed master
 * password in Secrets Manager, a parameter group forcing TLS and logging slow statements,
 * Performance Insights, enhanced monitoring, log exports to encrypted log groups, backups,
 * deletion protection and a final snapshot.
 *
 * RDS Proxy read-only endpoints serve Aurora reader instances only; a proxy in front of an
 * RDS instance forwards to the primary, and requests to a read-only endpoint fail. So the
 * replicas are exposed directly ({@link readReplicaEndpoints}, IAM authentication on each,
 * {@link grantConnectReplicas}); readers balance over them client-side.
 *
 * @example
 * const db = new Database(this, "Database", {
 *   vpcId, subnetIds: privateSubnetIds, kmsKey, namePrefix: "headroom-prod",
 *   instanceClass: "db.r7g.xlarge", allocatedStorageGiB: 200, readReplicas: 2,
 * });
 * db.connections.allowFrom(workerNodes, Port.tcp(5432), "workers query PostgreSQL");
 * db.grantConnect(workerIdentity);
 */
export class Database extends Construct implements IConnectable {
  /** The primary `aws_db_instance` (escape hatch). */
  public readonly resource: DbInstance;
  /** The read replicas, in order. */
  public readonly replicas: readonly DbInstance[];
  /** The `aws_db_proxy`. */
  public readonly proxy: DbProxy;
  /**
   * Rules for clients: the proxy and (when there are any) the read replicas, port 5432.
   * The primary itself admits only the proxy, so every client write goes through RDS Proxy.
   */
  public readonly connections: Connections;
  /** Security group of the primary: it admits the proxy only. */
  public readonly securityGroup: SecurityGroup;
  /** Security group of the read replicas, which clients reach directly; undefined without replicas. */
  public readonly replicaSecurityGroup: SecurityGroup | undefined;
  /** Security group of the proxy. */
  public readonly proxySecurityGroup: SecurityGroup;
  /** The read/write endpoint applications use: the proxy's. */
  public readonly endpoint: string;
  /** Host names of the read replicas (connect directly, TLS and IAM authentication). */
  public readonly readReplicaEndpoints: readonly string[];
  /** Host name of the primary itself (administration and migrations; applications use `endpoint`). */
  public readonly primaryAddress: string;
  public readonly port = PORT;
  /** ARN of the RDS-managed master user secret (encrypted with the customer key). */
  public readonly masterUserSecretArn: string;
  public readonly masterUsername: string;
  public readonly databaseName: string;
  public readonly instanceIdentifier: string;
  public readonly proxyName: string;
  private readonly arnPrefix: string;

  public constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const readReplicas = props.readReplicas ?? 0;
    const major = props.engineMajorVersion ?? "17";
    const backupRetentionDays = props.backupRetentionDays ?? 7;
    const backupWindow = props.backupWindow ?? "02:00-03:00";
    const maintenanceWindow = props.maintenanceWindow ?? "sun:03:30-sun:04:30";
    const piRetention = props.performanceInsightsRetentionDays ?? 7;
    const monitoringInterval = props.monitoringIntervalSeconds ?? 60;
    const slowQueryMs = props.slowQueryMilliseconds ?? 1000;
    const maxAllocated = props.maxAllocatedStorageGiB ?? Math.min(65536, 2 * props.allocatedStorageGiB);
    const pool = {
      maxConnectionsPercent: props.proxy?.maxConnectionsPercent ?? 70,
      maxIdleConnectionsPercent: props.proxy?.maxIdleConnectionsPercent ?? 50,
      connectionBorrowTimeoutSeconds: props.proxy?.connectionBorrowTimeoutSeconds ?? 30,
      idleClientTimeoutSeconds: props.proxy?.idleClientTimeoutSeconds ?? 1800,
    };
    this.masterUsername = props.masterUsername ?? "headroom_admin";
    this.databaseName = props.databaseName ?? "headroom";

    const problems = new Problems(`Database '${this.node.path}' props`);
    // The proxy name `<prefix>-postgres-proxy` may have at most 60 characters.
    checkCommonProps(problems, props, 45);
    problems.checkNumber("DB_READ_REPLICAS", "readReplicas", readReplicas, { min: 0, max: MAX_READ_REPLICAS, integer: true });
    problems.checkOneOf("DB_ENGINE_VERSION", "engineMajorVersion", major, POSTGRES_MAJOR_VERSIONS);
    for (const [path, cls] of [["instanceClass", props.instanceClass], ["replicaInstanceClass", props.replicaInstanceClass]] as const) {
      if (cls !== undefined && !/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(cls)) problems.add("DB_INSTANCE_CLASS", path, cls, "an RDS class such as db.r7g.xlarge");
    }
    if (problems.checkNumber("DB_STORAGE", "allocatedStorageGiB", props.allocatedStorageGiB, { min: 20, max: 65536, integer: true })) {
      // RDS needs the ceiling at least 10% above the allocated size to enable autoscaling.
      problems.checkNumber("DB_MAX_STORAGE", "maxAllocatedStorageGiB", maxAllocated, {
        min: Math.ceil(props.allocatedStorageGiB * 1.1),
        max: 65536,
        integer: true,
      });
    }
    problems.checkNumber("DB_BACKUP_RETENTION", "backupRetentionDays", backupRetentionDays, { min: 7, max: 35, integer: true });
    if (!PERFORMANCE_INSIGHTS_RETENTION.includes(piRetention)) {
      problems.add("DB_PI_RETENTION", "performanceInsightsRetentionDays", piRetention, "7, or a multiple of 31 up to 713, or 731");
    }
    if (!MONITORING_INTERVALS.includes(monitoringInterval)) {
      problems.add("DB_MONITORING_INTERVAL", "monitoringIntervalSeconds", monitoringInterval, `one of ${MONITORING_INTERVALS.join(", ")}`);
    }
    problems.checkNumber("DB_SLOW_QUERY", "slowQueryMilliseconds", slowQueryMs, { min: 0, max: 3_600_000, integer: true });
    problems.checkNumber("DB_PROXY_MAX_CONNECTIONS", "proxy.maxConnectionsPercent", pool.maxConnectionsPercent, { min: 1, max: 100, integer: true });
    problems.checkNumber("DB_PROXY_MAX_IDLE", "proxy.maxIdleConnectionsPercent", pool.maxIdleConnectionsPercent, {
      min: 0,
      max: Math.min(100, pool.maxConnectionsPercent),
      integer: true,
    });
    problems.checkNumber("DB_PROXY_BORROW_TIMEOUT", "proxy.connectionBorrowTimeoutSeconds", pool.connectionBorrowTimeoutSeconds, { min: 0, max: 3600, integer: true });
    problems.checkNumber("DB_PROXY_IDLE_CLIENT_TIMEOUT", "proxy.idleClientTimeoutSeconds", pool.idleClientTimeoutSeconds, { min: 1, max: 28800, integer: true });
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(this.databaseName)) problems.add("DB_NAME", "databaseName", this.databaseName, "a lowercase PostgreSQL identifier, 1-63 characters");
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(this.masterUsername) || ["postgres", "rdsadmin", "admin"].includes(this.masterUsername)) {
      problems.add("DB_MASTER_USERNAME", "masterUsername", this.masterUsername, "a lowercase PostgreSQL identifier, not a reserved name (postgres, rdsadmin, admin)");
    }
    for (const [path, w] of [["backupWindow", backupWindow]] as const) {
      if (!/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(w)) problems.add("DB_BACKUP_WINDOW", path, w, "hh:mm-hh:mm in UTC");
    }
    if (!/^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/.test(maintenanceWindow)) {
      problems.add("DB_MAINTENANCE_WINDOW", "maintenanceWindow", maintenanceWindow, "ddd:hh:mm-ddd:hh:mm in UTC");
    }
    problems.throwIfAny();

    const name = `${props.namePrefix}-postgres`;
    this.instanceIdentifier = name;
    this.proxyName = `${name}-proxy`;
    const tags = tagsOf(props);
    const preventDestroy = props.preventDestroy ?? true;
    const deletionProtection = props.deletionProtection ?? true;
    const logRetentionDays = props.logRetentionDays ?? 90;
    const ctx = awsContext(this);
    this.arnPrefix = `arn:${ctx.partition}:rds-db:${ctx.region}:${ctx.accountId}:dbuser`;

    this.securityGroup = new SecurityGroup(this, "SecurityGroup", {
      vpcId: props.vpcId,
      // The description is kept from when replicas shared the group (changing it replaces the group).
      description: `PostgreSQL instances of ${name}`,
      name: `${name}-sg`,
      tags: props.tags,
    });
    this.proxySecurityGroup = new SecurityGroup(this, "ProxySecurityGroup", {
      vpcId: props.vpcId,
      description: `RDS Proxy of ${name}`,
      name: `${name}-proxy-sg`,
      tags: props.tags,
    });
    new Connections([this.securityGroup], Port.tcp(PORT)).allowFrom(this.proxySecurityGroup, Port.tcp(PORT), "RDS Proxy pools connections to the primary");
    // Replicas are read directly (RDS Proxy serves no reader endpoint for RDS instances), so they
    // get a group of their own: clients allowed on the replicas never reach the primary directly.
    this.replicaSecurityGroup =
      readReplicas > 0
        ? new SecurityGroup(this, "ReplicaSecurityGroup", {
            vpcId: props.vpcId,
            description: `PostgreSQL read replicas of ${name} (read directly, TLS and IAM authentication)`,
            name: `${name}-replica-sg`,
            tags: props.tags,
          })
        : undefined;
    this.connections = new Connections(
      this.replicaSecurityGroup ? [this.proxySecurityGroup, this.replicaSecurityGroup] : [this.proxySecurityGroup],
      Port.tcp(PORT),
    );

    const subnetGroup = new DbSubnetGroup(this, "SubnetGroup", {
      name,
      description: `Private subnets of ${name}`,
      subnetIds: [...props.subnetIds],
      tags,
    });
    const parameterGroup = new DbParameterGroup(this, "ParameterGroup", {
      name: `${name}${major}`,
      family: `postgres${major}`,
      description: `TLS only and slow-statement logging for ${name}`,
      parameter: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_min_duration_statement", value: String(slowQueryMs) },
        { name: "log_connections", value: "1" },
        { name: "log_disconnections", value: "1" },
        { name: "log_lock_waits", value: "1" },
      ],
      tags,
    });
    const monitoring = monitoringRole(this, name, ctx, tags);

    const instanceLogs = (idPrefix: string, identifier: string): EncryptedLogGroup[] =>
      LOG_EXPORTS.map(
        (kind) =>
          // RDS writes to /aws/rds/instance/<id>/<log>; created here first so it is encrypted and retained.
          new EncryptedLogGroup(this, `${idPrefix}${kind === "postgresql" ? "PostgresqlLog" : "UpgradeLog"}`, {
            name: `/aws/rds/instance/${identifier}/${kind}`,
            kmsKey: props.kmsKey,
            retentionDays: logRetentionDays,
            tags: props.tags,
          }),
      );

    // Settings the primary and every replica share.
    const common = {
      instanceClass: props.instanceClass,
      storageType: "gp3",
      maxAllocatedStorage: maxAllocated,
      storageEncrypted: true,
      kmsKeyId: props.kmsKey.keyArn,
      iamDatabaseAuthenticationEnabled: true,
      publiclyAccessible: false,
      vpcSecurityGroupIds: [this.securityGroup.securityGroupId],
      parameterGroupName: parameterGroup.name,
      caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      copyTagsToSnapshot: true,
      deletionProtection,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: props.kmsKey.keyArn,
      performanceInsightsRetentionPeriod: piRetention,
      monitoringInterval,
      monitoringRoleArn: monitoring.arn,
      enabledCloudwatchLogsExports: [...LOG_EXPORTS],
      maintenanceWindow,
      tags,
    };

    const primaryLogs = instanceLogs("", name);
    this.resource = new DbInstance(this, "Resource", {
      ...common,
      identifier: name,
      engine: "postgres",
      engineVersion: major,
      allocatedStorage: props.allocatedStorageGiB,
      dbName: this.databaseName,
      username: this.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.kmsKey.keyArn,
      multiAz: props.multiAz ?? true,
      dbSubnetGroupName: subnetGroup.name,
      port: PORT,
      backupRetentionPeriod: backupRetentionDays,
      backupWindow,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${name}-final`,
      dependsOn: primaryLogs.map((l) => l.resource),
      lifecycle: { preventDestroy },
    });
    const address = props.addressName ?? "postgres";
    pinAddress(this.resource, address);
    this.primaryAddress = this.resource.address;
    this.masterUserSecretArn = this.resource.masterUserSecret.get(0).secretArn;

    const zones = props.availabilityZones ?? [];
    this.replicas = Array.from({ length: readReplicas }, (_, i) => {
      const n = i + 1;
      const identifier = `${name}-replica-${n}`;
      const logs = instanceLogs(`Replica${n}`, identifier);
      const replica = new DbInstance(this, `Replica${n}`, {
        ...common,
        identifier,
        replicateSourceDb: this.resource.identifier,
        instanceClass: props.replicaInstanceClass ?? props.instanceClass,
        availabilityZone: zones.length > 0 ? zones[i % zones.length] : undefined,
        multiAz: false,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [this.replicaSecurityGroup!.securityGroupId],
        // A replica holds the primary's data; the primary keeps the final snapshot and the backups.
        skipFinalSnapshot: true,
        dependsOn: logs.map((l) => l.resource),
        lifecycle: { preventDestroy },
      });
      pinAddress(replica, `${address}-replica-${n}`);
      return replica;
    });
    this.readReplicaEndpoints = this.replicas.map((r) => r.address);

    // RDS Proxy writes to /aws/rds/proxy/<name>; created first so it is encrypted and retained.
    const proxyLog = new EncryptedLogGroup(this, "ProxyLog", {
      name: `/aws/rds/proxy/${this.proxyName}`,
      kmsKey: props.kmsKey,
      retentionDays: logRetentionDays,
      tags: props.tags,
    });
    const secretArns = [this.masterUserSecretArn, ...(props.proxyUserSecretArns ?? [])];
    const role = proxyRole(this, name, ctx, secretArns, props.kmsKey, tags);
    this.proxy = new DbProxy(this, "Proxy", {
      name: this.proxyName,
      engineFamily: "POSTGRESQL",
      roleArn: role.arn,
      vpcSubnetIds: [...props.subnetIds],
      vpcSecurityGroupIds: [this.proxySecurityGroup.securityGroupId],
      requireTls: true,
      idleClientTimeout: pool.idleClientTimeoutSeconds,
      debugLogging: false,
      auth: secretArns.map((secretArn, i) => ({
        description: i === 0 ? "RDS-managed master user secret" : `application user secret ${i}`,
        authScheme: "SECRETS",
        iamAuth: "REQUIRED",
        secretArn,
      })),
      tags,
      dependsOn: [proxyLog.resource],
    });
    const targetGroup = new DbProxyDefaultTargetGroup(this, "ProxyTargetGroup", {
      dbProxyName: this.proxy.name,
      connectionPoolConfig: {
        maxConnectionsPercent: pool.maxConnectionsPercent,
        maxIdleConnectionsPercent: pool.maxIdleConnectionsPercent,
        connectionBorrowTimeout: pool.connectionBorrowTimeoutSeconds,
      },
    });
    new DbProxyTarget(this, "ProxyTarget", {
      dbProxyName: this.proxy.name,
      targetGroupName: targetGroup.name,
      dbInstanceIdentifier: this.resource.identifier,
    });
    this.endpoint = this.proxy.endpoint;
  }

  /**
   * Lets `grantee` connect through the proxy as `dbUser` with an IAM token
   * (`rds-db:connect` on `arn:...:rds-db:<region>:<account>:dbuser:<prx-id>/<dbUser>`).
   * The user needs a secret the proxy holds: the master user or one of `proxyUserSecretArns`.
   * @param dbUser @default the master user
   */
  public grantConnect(grantee: IGrantable, dbUser?: string): void {
    const user = this.checkUser("grantConnect", dbUser);
    // The proxy's resource id (prx-...) is the last field of its ARN.
    const proxyResourceId = Fn.element(Fn.split(":", this.proxy.arn), 6) as string;
    grantee.addToPrincipalPolicy({ actions: ["rds-db:connect"], resources: [`${this.arnPrefix}:${proxyResourceId}/${user}`] });
  }

  /**
   * Lets `grantee` connect to every read replica as `dbUser` with an IAM token
   * (`rds-db:connect` on each replica's `db-...` resource id). The user must exist in
   * PostgreSQL with the `rds_iam` role.
   */
  public grantConnectReplicas(grantee: IGrantable, dbUser: string): void {
    const user = this.checkUser("grantConnectReplicas", dbUser);
    const problems = new Problems(`Database '${this.node.path}' grantConnectReplicas`);
    if (this.replicas.length === 0) problems.add("DB_NO_REPLICAS", "readReplicas", 0, "at least 1 read replica to connect to");
    problems.throwIfAny();
    grantee.addToPrincipalPolicy({
      actions: ["rds-db:connect"],
      resources: this.replicas.map((r) => `${this.arnPrefix}:${r.resourceId}/${user}`),
    });
  }

  private checkUser(method: string, dbUser: string | undefined): string {
    const user = dbUser ?? this.masterUsername;
    const problems = new Problems(`Database '${this.node.path}' ${method}`);
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(user)) problems.add("DB_GRANT_USER", "dbUser", user, "a lowercase PostgreSQL user name without wildcards");
    problems.throwIfAny();
    return user;
  }
}
