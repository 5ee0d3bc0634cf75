/**
 * Every built-in rule, in table order. A new rule file must be added here (the
 * RULES.md test then fails until the table is regenerated).
 */
import { HR_DATA_1 } from "./rules/hr-data-1";
import { HR_DATA_2 } from "./rules/hr-data-2";
import { HR_EC2_1 } from "./rules/hr-ec2-1";
import { HR_EC2_2 } from "./rules/hr-ec2-2";
import { HR_EC2_3 } from "./rules/hr-ec2-3";
import { HR_EC2_4 } from "./rules/hr-ec2-4";
import { HR_EC2_5 } from "./rules/hr-ec2-5";
import { HR_EC2_6 } from "./rules/hr-ec2-6";
import { HR_EC2_7 } from "./rules/hr-ec2-7";
import { HR_EC2_8 } from "./rules/hr-ec2-8";
import { HR_EKS_1 } from "./rules/hr-eks-1";
import { HR_EKS_2 } from "./rules/hr-eks-2";
import { HR_EKS_3 } from "./rules/hr-eks-3";
import { HR_EKS_4 } from "./rules/hr-eks-4";
import { HR_EKS_5 } from "./rules/hr-eks-5";
import { HR_EKS_6 } from "./rules/hr-eks-6";
import { HR_FIS_1 } from "./rules/hr-fis-1";
import { HR_HELM_1 } from "./rules/hr-helm-1";
import { HR_HELM_2 } from "./rules/hr-helm-2";
import { HR_IAM_1 } from "./rules/hr-iam-1";
import { HR_IAM_2 } from "./rules/hr-iam-2";
import { HR_IAM_3 } from "./rules/hr-iam-3";
import { HR_IAM_4 } from "./rules/hr-iam-4";
import { HR_IAM_5 } from "./rules/hr-iam-5";
import { HR_IAM_6 } from "./rules/hr-iam-6";
import { HR_IAM_7 } from "./rules/hr-iam-7";
import { HR_K8S_1 } from "./rules/hr-k8s-1";
import { HR_K8S_2 } from "./rules/hr-k8s-2";
import { HR_K8S_3 } from "./rules/hr-k8s-3";
import { HR_K8S_4 } from "./rules/hr-k8s-4";
import { HR_K8S_5 } from "./rules/hr-k8s-5";
import { HR_K8S_6 } from "./rules/hr-k8s-6";
import { HR_K8S_7 } from "./rules/hr-k8s-7";
import { HR_K8S_8 } from "./rules/hr-k8s-8";
import { HR_K8S_9 } from "./rules/hr-k8s-9";
import { HR_KARP_3 } from "./rules/hr-karp-3";
import { HR_KMS_1 } from "./rules/hr-kms-1";
import { HR_LAMBDA_1 } from "./rules/hr-lambda-1";
import { HR_LAMBDA_2 } from "./rules/hr-lambda-2";
import { HR_LOG_1 } from "./rules/hr-log-1";
import { HR_LOG_2 } from "./rules/hr-log-2";
import { HR_MESH_1 } from "./rules/hr-mesh-1";
import { HR_MESH_2 } from "./rules/hr-mesh-2";
import { HR_MESH_3 } from "./rules/hr-mesh-3";
import { HR_MSK_1 } from "./rules/hr-msk-1";
import { HR_MSK_2 } from "./rules/hr-msk-2";
import { HR_MSK_3 } from "./rules/hr-msk-3";
import { HR_MSK_4 } from "./rules/hr-msk-4";
import { HR_MSK_5 } from "./rules/hr-msk-5";
import { HR_NET_1 } from "./rules/hr-net-1";
import { HR_NET_2 } from "./rules/hr-net-2";
import { HR_NET_3 } from "./rules/hr-net-3";
import { HR_NET_4 } from "./rules/hr-net-4";
import { HR_RDS_1 } from "./rules/hr-rds-1";
import { HR_RDS_2 } from "./rules/hr-rds-2";
import { HR_RDS_3 } from "./rules/hr-rds-3";
import { HR_RDS_4 } from "./rules/hr-rds-4";
import { HR_RDS_5 } from "./rules/hr-rds-5";
import { HR_RDS_6 } from "./rules/hr-rds-6";
import { HR_RDS_7 } from "./rules/hr-rds-7";
import { HR_RDS_8 } from "./rules/hr-rds-8";
import { HR_RDS_9 } from "./rules/hr-rds-9";
import { HR_RDS_10 } from "./rules/hr-rds-10";
import { HR_RDSPROXY_1 } from "./rules/hr-rdsproxy-1";
import { HR_RDSPROXY_2 } from "./rules/hr-rdsproxy-2";
import { HR_REDIS_1 } from "./rules/hr-redis-1";
import { HR_REDIS_2 } from "./rules/hr-redis-2";
import { HR_REDIS_3 } from "./rules/hr-redis-3";
import { HR_REDIS_4 } from "./rules/hr-redis-4";
import { HR_REDIS_5 } from "./rules/hr-redis-5";
import { HR_REDIS_6 } from "./rules/hr-redis-6";
import { HR_REDIS_7 } from "./rules/hr-redis-7";
import { HR_REDIS_8 } from "./rules/hr-redis-8";
import { HR_S3_1 } from "./rules/hr-s3-1";
import { HR_S3_2 } from "./rules/hr-s3-2";
import { HR_S3_3 } from "./rules/hr-s3-3";
import { HR_S3_4 } from "./rules/hr-s3-4";
import { HR_S3_5 } from "./rules/hr-s3-5";
import { HR_SEC_1 } from "./rules/hr-sec-1";
import { HR_SEC_2 } from "./rules/hr-sec-2";
import { HR_SEC_3 } from "./rules/hr-sec-3";
import { HR_STATE_1 } from "./rules/hr-state-1";
import { HR_TF_1 } from "./rules/hr-tf-1";
import { HR_TF_2 } from "./rules/hr-tf-2";
import { ComplianceRule } from "./rule";

/** The built-in Headroom hardening rules. */
export const ALL_RULES: readonly ComplianceRule[] = [
  HR_DATA_1,
  HR_DATA_2,
  HR_EC2_1,
  HR_EC2_2,
  HR_EC2_3,
  HR_EC2_4,
  HR_EC2_5,
  HR_EC2_6,
  HR_EC2_7,
  HR_EC2_8,
  HR_EKS_1,
  HR_EKS_2,
  HR_EKS_3,
  HR_EKS_4,
  HR_EKS_5,
  HR_EKS_6,
  HR_FIS_1,
  HR_HELM_1,
  HR_HELM_2,
  HR_IAM_1,
  HR_IAM_2,
  HR_IAM_3,
  HR_IAM_4,
  HR_IAM_5,
  HR_IAM_6,
  HR_IAM_7,
  HR_K8S_1,
  HR_K8S_2,
  HR_K8S_3,
  HR_K8S_4,
  HR_K8S_5,
  HR_K8S_6,
  HR_K8S_7,
  HR_K8S_8,
  HR_K8S_9,
  HR_KARP_3,
  HR_KMS_1,
  HR_LAMBDA_1,
  HR_LAMBDA_2,
  HR_LOG_1,
  HR_LOG_2,
  HR_MESH_1,
  HR_MESH_2,
  HR_MESH_3,
  HR_MSK_1,
  HR_MSK_2,
  HR_MSK_3,
  HR_MSK_4,
  HR_MSK_5,
  HR_NET_1,
  HR_NET_2,
  HR_NET_3,
  HR_NET_4,
  HR_RDS_1,
  HR_RDS_2,
  HR_RDS_3,
  HR_RDS_4,
  HR_RDS_5,
  HR_RDS_6,
  HR_RDS_7,
  HR_RDS_8,
  HR_RDS_9,
  HR_RDS_10,
  HR_RDSPROXY_1,
  HR_RDSPROXY_2,
  HR_REDIS_1,
  HR_REDIS_2,
  HR_REDIS_3,
  HR_REDIS_4,
  HR_REDIS_5,
  HR_REDIS_6,
  HR_REDIS_7,
  HR_REDIS_8,
  HR_S3_1,
  HR_S3_2,
  HR_S3_3,
  HR_S3_4,
  HR_S3_5,
  HR_SEC_1,
  HR_SEC_2,
  HR_SEC_3,
  HR_STATE_1,
  HR_TF_1,
  HR_TF_2,
];
