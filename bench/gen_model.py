#!/usr/bin/env python3
"""Writes a Dense-style TF.js layers model (model.json + 4 MiB shards) for the benchmarks.

Usage: gen_model.py OUT_DIR LAYERS UNITS [SEED]
Each of LAYERS Dense layers has a float32 kernel [UNITS, UNITS] (no bias), seeded normal values,
so the weights total LAYERS * UNITS^2 * 4 bytes, cut into 4 MiB shards like the converter
(group1-shard{i}of{N}.bin). Same LAYERS gives the same topology shape whatever UNITS is.
"""
import json
import os
import sys

import numpy as np

SHARD = 4 * 1024 * 1024


def main():
    out, layers, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1234
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    total = layers * units * units * 4
    nshards = max(1, -(-total // SHARD))
    paths = [f"group1-shard{i + 1}of{nshards}.bin" for i in range(nshards)]

    shard_index, shard_fill = 0, 0
    f = open(os.path.join(out, paths[0]), "wb")
    for _ in range(layers):
        data = rng.standard_normal(units * units, dtype=np.float32).tobytes()
        while data:
            room = SHARD - shard_fill
            if room == 0:
                f.close()
                shard_index += 1
                shard_fill = 0
                f = open(os.path.join(out, paths[shard_index]), "wb")
                room = SHARD
            f.write(data[:room])
            shard_fill += min(room, len(data))
            data = data[room:]
    f.close()

    layer_configs = []
    specs = []
    for i in range(layers):
        name = f"dense_{i + 1}"
        config = {"units": units, "activation": "linear", "use_bias": False,
                  "kernel_initializer": {"class_name": "VarianceScaling", "config": {
                      "scale": 1, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
                  "kernel_regularizer": None, "activity_regularizer": None,
                  "kernel_constraint": None, "name": name, "trainable": True}
        if i == 0:
            config["batch_input_shape"] = [None, units]
            config["dtype"] = "float32"
        layer_configs.append({"class_name": "Dense", "config": config})
        specs.append({"name": f"{name}/kernel", "shape": [units, units], "dtype": "float32"})
    model = {
        "modelTopology": {"class_name": "Sequential",
                          "config": {"name": "bench", "layers": layer_configs},
                          "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"},
        "format": "layers-model",
        "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
        "convertedBy": None,
        "weightsManifest": [{"paths": paths, "weights": specs}],
    }
    with open(os.path.join(out, "model.json"), "w") as f:
        json.dump(model, f, separators=(",", ":"))
    print(f"{out}: {layers} tensors, {total} bytes in {nshards} shard(s)")


if __name__ == "__main__":
    main()
