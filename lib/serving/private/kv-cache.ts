// Pure constants of the KV-cache tiers, importable without cdktf (stacks/sizing.ts uses them).

/**
 * Host memory the vLLM process itself needs besides offloaded KV blocks and `/dev/shm`, GiB per
 * GPU: the Python engine and API server, CUDA/NCCL host buffers and the safetensors pages
 * read while loading. An engineering allowance, not a measured figure: the container's
 * working set on a loaded node (`container_memory_working_set_bytes`) is what calibrates it.
 */
export const VLLM_HOST_MEMORY_PER_GPU_GIB = 8;

/**
 * ACL of LMCache's Valkey user: its keys only (LMCache names every chunk `<fmt>@<model>@<world size>@<rank>@<hash>`
 * with the `vllm` format, LMCache docs "Redis" backend) and the commands its Redis connector and redis-py's
 * cluster client send: GET/SET/EXISTS/DEL of chunks, the connection handshake (HELLO, AUTH, CLIENT SETINFO,
 * PING), COMMAND (the cluster client's key-position table) and the slot map (CLUSTER SLOTS/SHARDS/NODES,
 * READONLY/READWRITE). No key listing, no admin or dangerous command, no Pub/Sub channel. Only a real cluster
 * proves the set is complete: a missing command shows as NOPERM in LMCache's log and as remote misses.
 */
export const LMCACHE_VALKEY_ACCESS_STRING =
  "on ~vllm@* resetchannels -@all +get +set +exists +del +unlink +ping +hello +auth +client|setinfo +command +readonly +readwrite +cluster|slots +cluster|shards +cluster|nodes";
