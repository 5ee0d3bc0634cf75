import { Token } from "cdktf";
import { Problems } from "../../core/validation";

/**
 * True when `image` names one immutable build: a digest (`@sha256:<64 hex>`) or an
 * explicit tag other than `latest`. A moving tag makes two pods of one Deployment run
 * different code, and a rollback redeploys whatever the tag points at today.
 */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  if (colon < 0) return false;
  const tag = lastSegment.slice(colon + 1);
  return /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag) && tag !== "latest";
}

/**
 * Adds `IMAGE_UNPINNED` to `problems` unless `image` is pinned. An unresolved Terraform
 * token (for example an ECR repository URL with a tag appended later) cannot be checked
 * at synth time and is accepted.
 */
export function checkPinnedImage(problems: Problems, path: string, image: string): void {
  if (Token.isUnresolved(image)) return;
  if (!isPinnedImage(image)) {
    problems.add("IMAGE_UNPINNED", path, image, "an image pinned by a version tag other than `latest` (repo:1.2.3) or by digest (repo@sha256:<64 hex>)");
  }
}
