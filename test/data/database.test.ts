import { Database, DatabaseProps } from "../../lib/data/database";
import { Port, SecurityGroup } from "../../lib/network/connections";
import { onlyResource, resourcesOf, synthJson } from "../helpers/synth";
import { BASE, RecordingGrantee, rendered, stack, validationError } from "./fixtures";

function synth(overrides: Partial<DatabaseProps> = {}) {
  const s = stack();
  const db = new Database(s, "Database", { ...BASE, instanceClass: "db.r7g.xlarge", allocatedStorageGiB: 200, readReplicas: 2, ...overrides });
  return { s, db, json: synthJson(s) };
}

function instances(json: ReturnType<typeof synthJson>) {
  const all = Object.values(resourcesOf(json, "aws_db_instance")) as any[];
  return { primary: all.find((i) => i.replicate_source_db === undefined), replicas: all.filter((i) => i.replicate_source_db !== undefined) };
}

describe("Database", () => {
  const { json, db, s } = synth({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
  const { primary, replicas } = instances(json);

  test("Multi-AZ primary with class and gp3 storage (autoscaling ceiling) from props", () => {
    expect(primary.multi_az).toBe(true);
    expect(primary.instance_class).toBe("db.r7g.xlarge");
    expect(primary.allocated_storage).toBe(200);
    expect(primary.max_allocated_storage).toBe(400);
    expect(primary.storage_type).toBe("gp3");
    const other = instances(synth({ instanceClass: "db.m7g.large", allocatedStorageGiB: 50, maxAllocatedStorageGiB: 1000, readReplicas: 0 }).json).primary;
    expect([other.instance_class, other.allocated_storage, other.max_allocated_storage]).toEqual(["db.m7g.large", 50, 1000]);
  });

  test("PostgreSQL 17 by default with a matching parameter family; 16 on request", () => {
    expect(primary.engine).toBe("postgres");
    expect(primary.engine_version).toBe("17");
    expect(primary.auto_minor_version_upgrade).toBe(true);
    expect(primary.allow_major_version_upgrade).toBe(false);
    expect(onlyResource(json, "aws_db_parameter_group").family).toBe("postgres17");
    const j16 = synth({ engineMajorVersion: "16", readReplicas: 0 }).json;
    expect(instances(j16).primary.engine_version).toBe("16");
    expect(onlyResource(j16, "aws_db_parameter_group").family).toBe("postgres16");
  });

  test("encrypted with the CMK; managed master password in Secrets Manager under the CMK; IAM auth", () => {
    expect(primary.storage_encrypted).toBe(true);
    expect(primary.kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(primary.manage_master_user_password).toBe(true);
    expect(primary.master_user_secret_kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(primary.password).toBeUndefined();
    expect(primary.iam_database_authentication_enabled).toBe(true);
  });

  test("parameter group forces TLS and logs slow statements and connections", () => {
    const params = Object.fromEntries(onlyResource(json, "aws_db_parameter_group").parameter.map((p: any) => [p.name, p.value]));
    expect(params).toMatchObject({ "rds.force_ssl": "1", log_min_duration_statement: "1000", log_connections: "1", log_disconnections: "1" });
    const other = Object.fromEntries(onlyResource(synth({ slowQueryMilliseconds: 250 }).json, "aws_db_parameter_group").parameter.map((p: any) => [p.name, p.value]));
    expect(other.log_min_duration_statement).toBe("250");
  });

  test("Performance Insights with the key, enhanced monitoring with the managed policy", () => {
    expect(primary.performance_insights_enabled).toBe(true);
    expect(primary.performance_insights_kms_key_id).toBe(BASE.kmsKey.keyArn);
    expect(primary.performance_insights_retention_period).toBe(7);
    expect(primary.monitoring_interval).toBe(60);
    expect(primary.monitoring_role_arn).toContain("aws_iam_role.Database_MonitoringRole");
    const attachment = onlyResource(json, "aws_iam_role_policy_attachment");
    expect(attachment.policy_arn).toMatch(/^arn:\$\{.*\}:iam::aws:policy\/service-role\/AmazonRDSEnhancedMonitoringRole$/);
    const roles = Object.values(resourcesOf(json, "aws_iam_role")) as any[];
    const monitoringTrust = JSON.parse(roles.find((r) => r.name === "headroom-test-postgres-monitoring").assume_role_policy);
    expect(monitoringTrust.Statement[0].Principal.Service).toBe("monitoring.rds.amazonaws.com");
    // Only this account's instances of this database (primary and replicas) may make RDS use the role.
    expect(monitoringTrust.Statement[0].Condition.StringEquals["aws:SourceAccount"]).toMatch(/account_id\}$/);
    expect(monitoringTrust.Statement[0].Condition.ArnLike["aws:SourceArn"]).toMatch(/:db:headroom-test-postgres\*$/);
    const proxyTrust = JSON.parse(roles.find((r) => r.name === "headroom-test-postgres-proxy").assume_role_policy);
    expect(proxyTrust.Statement[0].Condition).toEqual({ StringEquals: { "aws:SourceAccount": expect.stringMatching(/account_id\}$/) } });
    const other = instances(synth({ monitoringIntervalSeconds: 15, performanceInsightsRetentionDays: 93, readReplicas: 0 }).json).primary;
    expect([other.monitoring_interval, other.performance_insights_retention_period]).toEqual([15, 93]);
  });

  test("log exports go to encrypted log groups created before the instances", () => {
    expect(primary.enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
    const groups = Object.entries(resourcesOf(json, "aws_cloudwatch_log_group")) as [string, any][];
    const names = groups.map(([, g]) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "/aws/rds/instance/headroom-test-postgres/postgresql",
        "/aws/rds/instance/headroom-test-postgres/upgrade",
        "/aws/rds/instance/headroom-test-postgres-replica-1/postgresql",
        "/aws/rds/instance/headroom-test-postgres-replica-2/upgrade",
        "/aws/rds/proxy/headroom-test-postgres-proxy",
      ]),
    );
    for (const [, g] of groups) expect(g.kms_key_id).toBe(BASE.kmsKey.keyArn);
    const primaryLogIds = groups.filter(([, g]) => g.name.startsWith("/aws/rds/instance/headroom-test-postgres/")).map(([id]) => `aws_cloudwatch_log_group.${id}`);
    expect(primary.depends_on).toEqual(expect.arrayContaining(primaryLogIds));
  });

  test("backups, deletion protection, final snapshot, tags to snapshots, private, current CA", () => {
    expect(primary.backup_retention_period).toBe(7);
    expect(primary.deletion_protection).toBe(true);
    expect(primary.skip_final_snapshot).toBe(false);
    expect(primary.final_snapshot_identifier).toBe("headroom-test-postgres-final");
    expect(primary.copy_tags_to_snapshot).toBe(true);
    expect(primary.publicly_accessible).toBe(false);
    expect(primary.ca_cert_identifier).toBe("rds-ca-rsa2048-g1");
    expect(primary.lifecycle.prevent_destroy).toBe(true);
    expect(onlyResource(json, "aws_db_subnet_group").subnet_ids).toEqual(BASE.subnetIds);
    const other = instances(synth({ backupRetentionDays: 14, deletionProtection: false, preventDestroy: false, readReplicas: 0 }).json).primary;
    expect([other.backup_retention_period, other.deletion_protection, other.lifecycle.prevent_destroy]).toEqual([14, false, false]);
  });

  test("read replicas follow the count and spread over the zones", () => {
    expect(replicas).toHaveLength(2);
    expect(replicas.map((r) => r.availability_zone)).toEqual(["us-east-1a", "us-east-1b"]);
    for (const r of replicas) {
      expect(r.replicate_source_db).toContain("aws_db_instance.postgres");
      expect(r.storage_encrypted).toBe(true);
      expect(r.iam_database_authentication_enabled).toBe(true);
      expect(r.publicly_accessible).toBe(false);
      expect(r.deletion_protection).toBe(true);
      expect(r.performance_insights_enabled).toBe(true);
      expect(r.manage_master_user_password).toBeUndefined();
      expect(r.lifecycle.prevent_destroy).toBe(true);
    }
    expect(instances(synth({ readReplicas: 15 }).json).replicas).toHaveLength(15);
    expect(instances(synth({ readReplicas: 0 }).json).replicas).toHaveLength(0);
    expect(db.readReplicaEndpoints).toHaveLength(2);
  });

  test("RDS Proxy: TLS required, IAM auth over the managed master secret, pool from props", () => {
    const proxy = onlyResource(json, "aws_db_proxy");
    expect(proxy.engine_family).toBe("POSTGRESQL");
    expect(proxy.require_tls).toBe(true);
    expect(proxy.auth).toEqual([
      expect.objectContaining({ auth_scheme: "SECRETS", iam_auth: "REQUIRED", secret_arn: expect.stringContaining("master_user_secret") }),
    ]);
    const tg = onlyResource(json, "aws_db_proxy_default_target_group");
    expect(tg.connection_pool_config).toEqual({ max_connections_percent: 70, max_idle_connections_percent: 50, connection_borrow_timeout: 30 });
    expect(onlyResource(json, "aws_db_proxy_target").db_instance_identifier).toContain("aws_db_instance.postgres");
    expect(resourcesOf(json, "aws_db_proxy_endpoint")).toEqual({});
    const other = onlyResource(
      synth({ proxy: { maxConnectionsPercent: 90, maxIdleConnectionsPercent: 10, connectionBorrowTimeoutSeconds: 5 }, readReplicas: 0 }).json,
      "aws_db_proxy_default_target_group",
    );
    expect(other.connection_pool_config).toEqual({ max_connections_percent: 90, max_idle_connections_percent: 10, connection_borrow_timeout: 5 });
  });

  test("the proxy role reads only the database secrets and decrypts only via Secrets Manager", () => {
    const policy = JSON.parse(onlyResource(json, "aws_iam_role_policy").policy);
    expect(policy.Statement[0]).toMatchObject({ Action: "secretsmanager:GetSecretValue" });
    expect(policy.Statement[0].Resource).toContain("master_user_secret");
    expect(policy.Statement[1]).toMatchObject({ Action: "kms:Decrypt", Resource: BASE.kmsKey.keyArn });
    expect(Object.keys(policy.Statement[1].Condition.StringEquals)).toEqual(["kms:ViaService"]);
    const withApp = synth({ proxyUserSecretArns: ["arn:aws:secretsmanager:us-east-1:111122223333:secret:app"], readReplicas: 0 }).json;
    expect(JSON.parse(onlyResource(withApp, "aws_iam_role_policy").policy).Statement[0].Resource).toHaveLength(2);
    expect(onlyResource(withApp, "aws_db_proxy").auth).toHaveLength(2);
  });

  test("connections open 5432 on the proxy and the replicas; only the proxy reaches the primary", () => {
    const s2 = stack();
    const d = new Database(s2, "Database", { ...BASE, instanceClass: "db.r7g.large", allocatedStorageGiB: 100, readReplicas: 1 });
    const workers = new SecurityGroup(s2, "Workers", { vpcId: BASE.vpcId, description: "async workers" });
    d.connections.allowFrom(workers, Port.tcp(5432), "workers query PostgreSQL");
    const json = synthJson(s2);
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")) as any[];
    expect(ingress).toHaveLength(3);
    for (const r of ingress) expect([r.from_port, r.to_port]).toEqual([5432, 5432]);
    const groupOf = (id: string) => `\${aws_security_group.${id}.id}`;
    const sg = (construct: SecurityGroup) => groupOf(construct.resource.friendlyUniqueId);
    const into = (group: SecurityGroup) => ingress.filter((r) => r.security_group_id === sg(group));
    expect(into(d.securityGroup).map((r) => r.referenced_security_group_id)).toEqual([sg(d.proxySecurityGroup)]);
    expect(into(d.proxySecurityGroup).map((r) => r.referenced_security_group_id)).toEqual([sg(workers)]);
    expect(into(d.replicaSecurityGroup!).map((r) => r.referenced_security_group_id)).toEqual([sg(workers)]);
    const replica = Object.values(resourcesOf(json, "aws_db_instance")).find((i: any) => i.replicate_source_db) as any;
    expect(replica.vpc_security_group_ids).toEqual([sg(d.replicaSecurityGroup!)]);
  });

  test("without replicas, clients are allowed on the proxy only", () => {
    const s2 = stack();
    const d = new Database(s2, "Database", { ...BASE, instanceClass: "db.r7g.large", allocatedStorageGiB: 100 });
    const workers = new SecurityGroup(s2, "Workers", { vpcId: BASE.vpcId, description: "async workers" });
    d.connections.allowFrom(workers, Port.tcp(5432), "workers query PostgreSQL");
    expect(d.replicaSecurityGroup).toBeUndefined();
    expect(Object.keys(resourcesOf(synthJson(s2), "aws_vpc_security_group_ingress_rule"))).toHaveLength(2);
  });

  test("grantConnect: rds-db:connect on the proxy's prx- resource id and the user", () => {
    const g = new RecordingGrantee();
    db.grantConnect(g, "app_user");
    expect(g.statements).toHaveLength(1);
    expect(g.actions).toEqual(["rds-db:connect"]);
    expect(rendered(s, g.statements[0]?.resources[0])).toMatch(
      /^arn:\$\{.*\}:rds-db:\$\{.*\}:\$\{.*\}:dbuser:\$\{element\(split\(":", aws_db_proxy\.Database_Proxy_[0-9A-F]+\.arn\), 6\)\}\/app_user$/,
    );
    const master = new RecordingGrantee();
    db.grantConnect(master);
    expect(master.statements[0]?.resources[0]).toMatch(/\/headroom_admin$/);
  });

  test("grantConnectReplicas: one resource per replica", () => {
    const g = new RecordingGrantee();
    db.grantConnectReplicas(g, "reader");
    expect(g.statements[0]?.resources).toHaveLength(2);
    expect(rendered(s, g.statements[0]?.resources[0])).toMatch(/:dbuser:\$\{aws_db_instance\.postgres-replica-1\.resource_id\}\/reader$/);
  });

  test("no literal password anywhere in the synthesized JSON", () => {
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/"(password|passwords|auth_token|master_password)"\s*:/);
    expect(text).not.toMatch(/"secret_string"/);
  });

  describe("fails when", () => {
    test("more than 15 read replicas", () => {
      const err = validationError(() => synth({ readReplicas: 16 }));
      expect(err.codes).toEqual(["DB_READ_REPLICAS"]);
      expect(err.message).toContain("readReplicas [DB_READ_REPLICAS]: got 16; allowed: an integer from 0 to 15");
    });

    test("backups kept under 7 days", () => {
      const err = validationError(() => synth({ backupRetentionDays: 3 }));
      expect(err.codes).toEqual(["DB_BACKUP_RETENTION"]);
      expect(err.message).toContain("got 3; allowed: an integer from 7 to 35");
    });

    test("the proxy pool keeps more idle connections than it may open", () => {
      expect(validationError(() => synth({ proxy: { maxConnectionsPercent: 40, maxIdleConnectionsPercent: 60 } })).codes).toEqual(["DB_PROXY_MAX_IDLE"]);
    });

    test("invalid storage ceiling, monitoring interval, PI retention and names, all at once", () => {
      const err = validationError(() =>
        synth({ maxAllocatedStorageGiB: 210, monitoringIntervalSeconds: 20, performanceInsightsRetentionDays: 30, masterUsername: "postgres", instanceClass: "r7g.large" }),
      );
      expect([...err.codes].sort()).toEqual(["DB_INSTANCE_CLASS", "DB_MASTER_USERNAME", "DB_MAX_STORAGE", "DB_MONITORING_INTERVAL", "DB_PI_RETENTION"]);
    });

    test("granting replica access without replicas, or a wildcard user", () => {
      const { db: noReplicas } = synth({ readReplicas: 0 });
      expect(validationError(() => noReplicas.grantConnectReplicas(new RecordingGrantee(), "reader")).codes).toEqual(["DB_NO_REPLICAS"]);
      expect(validationError(() => noReplicas.grantConnect(new RecordingGrantee(), "*")).codes).toEqual(["DB_GRANT_USER"]);
    });
  });
});
