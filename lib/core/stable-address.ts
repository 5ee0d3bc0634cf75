/**
 * Stable Terraform addresses for resources that hold data.
 *
 * cdktf derives a resource's logical id (the `<name>` of `<type>.<name>`) from its construct
 * path plus a hash of that path. Renaming or moving a construct therefore changes the address,
 * and Terraform plans the old address as a destroy: the old block, and with it
 * `lifecycle.prevent_destroy`, is no longer in the configuration, so nothing refuses.
 * Stateful resources are therefore given a fixed, role-based address (`aws_db_instance.postgres`,
 * `aws_msk_cluster.kafka`) that depends neither on the construct tree nor on the environment's
 * name prefix. Two such resources of one type in one stack must then be told apart with an
 * explicit `addressName`; a collision is an error, never a silent merge. A rename that is meant
 * to happen goes through a `moved` block (see lib/data/README.md).
 */
import { TerraformResource, TerraformStack, Token } from "cdktf";
import { ValidationError } from "./validation";

const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;
const TAKEN = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Pins `resource`'s Terraform address to `<type>.<name>`, independent of the construct tree.
 * Call it right after creating the resource, before anything references it.
 * @param prop the construct prop that sets `name`, named in the error on a collision
 * @throws ValidationError `STABLE_ADDRESS_NAME` (not a Terraform name) or `STABLE_ADDRESS_DUPLICATE`
 *   (another resource of the type already has it in this stack).
 */
export function pinAddress(resource: TerraformResource, name: string, prop = "addressName"): void {
  const subject = `address of '${resource.node.path}'`;
  if (Token.isUnresolved(name) || !TERRAFORM_NAME.test(name)) {
    throw new ValidationError(subject, [{ code: "STABLE_ADDRESS_NAME", path: prop, value: name, allowed: "a Terraform name known at synth time: a letter or _, then letters, digits, _ or -, at most 128 characters" }]);
  }
  const stack = TerraformStack.of(resource);
  const taken = TAKEN.get(stack) ?? new Map<string, string>();
  TAKEN.set(stack, taken);
  const address = `${resource.terraformResourceType}.${name}`;
  const other = taken.get(address);
  if (other !== undefined) {
    throw new ValidationError(subject, [{ code: "STABLE_ADDRESS_DUPLICATE", path: prop, value: name, allowed: `a name not already used by '${other}' (${address}): give each construct its own ${prop}` }]);
  }
  resource.overrideLogicalId(name);
  // cdktf caches the logical id the first time anything references the resource; an override
  // after that is silently ignored, so check that it took effect.
  if (resource.friendlyUniqueId !== name) {
    throw new Error(`pinAddress('${resource.node.path}') was called after the resource was referenced; call it right after creating the resource`);
  }
  taken.set(address, resource.node.path);
}
