// Pure: used by RedisCluster (props check) and by the compliance pack (HR-REDIS-7).

/**
 * Why an access string is too broad for a password user (undefined when it is not): it must be on, may
 * not match every key (`~*`, `allkeys`) nor allow every command (`+@all`, `allcommands`), and may not
 * allow dangerous commands (`+@dangerous`, or `+@all` without `-@dangerous`). Also used by HR-REDIS-7.
 */
export function accessStringWeakness(accessString: string): string | undefined {
  const parts = accessString.trim().split(/\s+/);
  if (parts[0] !== "on") return "is switched on first ('on')";
  if (parts.includes("nopass")) return "has no 'nopass' (the password is the credential)";
  if (parts.some((p) => p === "~*" || p === "allkeys" || p === "%RW~*" || p === "%R~*" || p === "%W~*")) return "does not match every key (~*, allkeys)";
  if (!parts.some((p) => p.startsWith("~") || /^%R?W?~/.test(p))) return "names the key patterns it may use (~prefix*)";
  if (parts.some((p) => p === "+@all" || p === "allcommands" || p === "+@dangerous" || p === "+@admin")) return "does not allow every command (+@all), dangerous or admin ones";
  return undefined;
}
