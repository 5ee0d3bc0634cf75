/**
 * Stable Terraform addresses for resources that hold data.
 *
 * cdktf derives a resource's logical id (the `<name>` of `<type>.<name>`) from its
 * construct path plus a hash of that path. Renaming or moving a construct therefore
 * changes the address, and Terraform plans the old address as a destroy: the old
 * block, and with it `lifecycle.prevent_destroy`, is no longer in the configuration,
 * so nothing refuses. Stateful resources are therefore addressed by their physical
 * name (the RDS identifier, the replication group id, the MSK cluster name, the
 * bucket's name prefix, the KMS alias), which does not change when code is refactored.
 * A rename that is meant to happen goes through a `moved` block (see lib/data/README.md).
 */
import { TerraformResource, Token } from "cdktf";
import { ValidationError } from "./validation";

/** The logical id for a physical `name`: Terraform identifier characters only, starting with a letter or `_`. */
export function stableLogicalId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}

/**
 * Pins `resource`'s Terraform address to `<type>.<stableLogicalId(name)>`, independent
 * of the construct tree. Call it right after creating the resource, before anything
 * reads its attributes.
 * @throws ValidationError `STABLE_ADDRESS_TOKEN` when `name` is not known at synth time.
 */
export function pinAddress(resource: TerraformResource, name: string): void {
  if (Token.isUnresolved(name) || name.length === 0) {
    throw new ValidationError(`address of '${resource.node.path}'`, [
      { code: "STABLE_ADDRESS_TOKEN", path: "name", value: name, allowed: "a physical name known at synth time (it becomes the Terraform address)" },
    ]);
  }
  const id = stableLogicalId(name);
  resource.overrideLogicalId(id);
  // cdktf caches the logical id the first time anything references the resource; an override
  // after that is silently ignored, so check that it took effect.
  if (resource.friendlyUniqueId !== id) {
    throw new Error(`pinAddress('${resource.node.path}') was called after the resource was referenced; call it right after creating the resource`);
  }
}
