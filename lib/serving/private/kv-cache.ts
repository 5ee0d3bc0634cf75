// Pure constants of the KV-cache tiers, importable without cdktf (stacks/sizing.ts uses them).

/**
 * Host memory the vLLM process itself needs besides offloaded KV blocks and `/dev/shm`, GiB per
 * GPU: the Python engine and API server, CUDA/NCCL host buffers and the safetensors pages
 * read while loading. An engineering allowance, not a measured figure: the container's
 * working set on a loaded node (`container_memory_working_set_bytes`) is what calibrates it.
 */
export const VLLM_HOST_MEMORY_PER_GPU_GIB = 8;
