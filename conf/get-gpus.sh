#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the executor's GPUs
# in the format Spark reads, e.g.
#   {"name": "gpu", "addresses": ["0","1","2","3"]}
# The addresses are nvidia-smi's indices; with CUDA_DEVICE_ORDER=PCI_BUS_ID in the executor's environment
# (conf/spark-gpu.conf) they are the CUDA device ordinals the tasks bind to. Fails, with the reason on
# stderr, where nvidia-smi is missing or cannot talk to the driver: an executor that asked for GPUs and
# has none should not start.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "get-gpus.sh: nvidia-smi not found: no NVIDIA driver on $(hostname)" >&2
  exit 1
fi
if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader)"; then
  echo "get-gpus.sh: nvidia-smi failed on $(hostname)" >&2
  exit 1
fi
addresses=""
while IFS= read -r line; do
  index="$(echo "$line" | tr -d '[:space:]')"
  [[ -z "$index" ]] && continue
  if ! [[ "$index" =~ ^[0-9]+$ ]]; then
    echo "get-gpus.sh: unexpected nvidia-smi output: $line" >&2
    exit 1
  fi
  addresses="${addresses:+$addresses,}\"$index\""
done <<< "$indices"
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
