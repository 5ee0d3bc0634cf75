import { Construct } from "constructs";
import { KmsGrant } from "@cdktf/provider-aws/lib/kms-grant";
import { IKmsKey } from "../../security/kms-key";
import { awsContext } from "../../security/private/aws-context";

/**
 * Lets the EC2 Auto Scaling service-linked role use `key` for the encrypted root
 * volumes of the instances it launches for managed node groups. Without it, a
 * launch with a customer-managed key fails ("Client.InternalError") because the
 * service-linked role's policy cannot be edited and the key policy only delegates
 * to IAM. A grant keeps the shared key policy untouched (EC2 Auto Scaling user
 * guide, "Required AWS KMS key policy for use with encrypted volumes").
 * Prerequisite: the role `AWSServiceRoleForAutoScaling` exists in the account.
 */
export function autoScalingVolumeGrant(scope: Construct, id: string, key: IKmsKey): KmsGrant {
  const ctx = awsContext(scope);
  return new KmsGrant(scope, id, {
    name: "eks-node-root-volumes",
    keyId: key.keyArn,
    granteePrincipal: `arn:${ctx.partition}:iam::${ctx.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    operations: ["Encrypt", "Decrypt", "ReEncryptFrom", "ReEncryptTo", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext", "DescribeKey", "CreateGrant"],
  });
}
