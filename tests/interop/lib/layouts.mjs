// Alternative on-disk layouts of a saved model, as converters and older tools write them.
import * as fs from 'node:fs';
import * as path from 'node:path';

const BYTES = {float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2};

/** Byte size of one manifest entry (not for strings, whose size needs the data). */
export function specByteSize(spec) {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const dtype = spec.quantization ? spec.quantization.dtype : spec.dtype;
  if (!(dtype in BYTES)) throw new Error(`specByteSize: unsupported dtype ${dtype}`);
  return n * BYTES[dtype];
}

/** Splits `data` at the given byte offsets (ascending, exclusive of 0 and length). */
export function splitAt(data, cuts) {
  const parts = [];
  let from = 0;
  for (const c of [...cuts, data.length]) {
    parts.push(data.subarray(from, c));
    from = c;
  }
  return parts;
}

/**
 * Rewrites a single-bin model (modelJSON + weights.bin bytes) into `dir` with two weight groups:
 * group 1 holds the first half of the specs in 3 shards, group 2 the rest in 2 shards, all cut
 * at odd byte offsets (inside elements). Names follow the converter: group{g}-shard{i}of{N}.bin.
 * Returns {jsonPath, shardFiles}.
 */
export function writeMultiShard(dir, modelJSON, weights) {
  const specs = modelJSON.weightsManifest.flatMap((g) => g.weights);
  if (specs.length < 2) throw new Error('writeMultiShard needs at least two weights');
  const k = Math.ceil(specs.length / 2);
  const g1Bytes = specs.slice(0, k).reduce((s, w) => s + specByteSize(w), 0);
  const total = specs.reduce((s, w) => s + specByteSize(w), 0);
  if (total !== weights.length) {
    throw new Error(`specs describe ${total} bytes, weights have ${weights.length}`);
  }
  const odd = (x) => x | 1;
  const group1 = splitAt(weights.subarray(0, g1Bytes),
                         [odd(Math.floor(g1Bytes / 3)), odd(Math.floor((2 * g1Bytes) / 3))]);
  const g2Len = total - g1Bytes;
  const group2 = splitAt(weights.subarray(g1Bytes), [odd(Math.floor(g2Len / 2))]);
  for (const parts of [group1, group2]) {
    if (parts.some((p) => p.length === 0)) throw new Error('a shard came out empty');
  }
  fs.mkdirSync(dir, {recursive: true});
  const manifest = [];
  const shardFiles = [];
  for (const [g, parts, weightsOfGroup] of [[1, group1, specs.slice(0, k)],
                                            [2, group2, specs.slice(k)]]) {
    const paths = parts.map((_, i) => `group${g}-shard${i + 1}of${parts.length}.bin`);
    paths.forEach((p, i) => fs.writeFileSync(path.join(dir, p), parts[i]));
    shardFiles.push(...paths);
    manifest.push({paths, weights: weightsOfGroup});
  }
  // Converter key order: weightsManifest last.
  const {weightsManifest: _ignored, ...rest} = modelJSON;
  const jsonPath = path.join(dir, 'model.json');
  fs.writeFileSync(jsonPath, JSON.stringify({...rest, weightsManifest: manifest}));
  return {jsonPath, shardFiles};
}
