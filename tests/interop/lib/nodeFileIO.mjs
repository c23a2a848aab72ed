// A pure-JS stand-in for tfjs-node's `file://` IOHandler (tfjs-node/src/io/file_system.ts),
// which cannot be installed here. Spec: docs/tfjs-formats.md §4.6.
//
// save(dir): non-recursive mkdir, then model.json written with JSON.stringify and the keys in
// tfjs-node's order, then weights.bin. One deliberate difference: tfjs-node writes
// `Buffer.from(weightData)`, which for an ArrayBuffer[] gives one zero byte per shard (the
// §4.6 bug); we concatenate the buffers instead, which is what every Layers save produces.
//
// load(jsonPath): reads model.json and every group's shards, relative to the JSON's folder,
// in manifest order, joined into one ArrayBuffer (as tfjs-node does).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export const MODEL_JSON_FILENAME = 'model.json';
export const WEIGHTS_BINARY_FILENAME = 'weights.bin';

/** Copies a Node Buffer (or typed array view) into a standalone ArrayBuffer. */
export function toArrayBuffer(view) {
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
}

/** weightData may be an ArrayBuffer or an ArrayBuffer[] (tfjs >= 4.10). */
export function joinWeightData(weightData) {
  if (weightData == null) return new ArrayBuffer(0);
  if (Array.isArray(weightData)) return tf.io.concatenateArrayBuffers(weightData);
  return weightData;
}

/** The model.json object tfjs-node's save builds, with its key order. */
export function nodeModelJSON(artifacts, weightsPath = WEIGHTS_BINARY_FILENAME) {
  const modelJSON = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{paths: [weightsPath], weights: artifacts.weightSpecs}],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) modelJSON.signature = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) {
    modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
  }
  return modelJSON;
}

/** Writes artifacts to `dir` exactly like tfjs-node's NodeFileSystem.save. */
export function saveArtifactsSync(dir, artifacts) {
  dir = path.resolve(dir);
  try {
    fs.mkdirSync(dir);
  } catch (e) {
    if (e.code !== 'EEXIST') throw e;
    if (fs.statSync(dir).isFile()) {
      throw new Error(`Path ${dir} exists as a file. The path must be ` +
                      `nonexistent or point to a directory.`);
    }
  }
  if (artifacts.modelTopology instanceof ArrayBuffer) {
    throw new Error('NodeFileSystem.save() does not support saving model topology ' +
                    'in binary format yet.');
  }
  fs.writeFileSync(path.join(dir, MODEL_JSON_FILENAME),
                   JSON.stringify(nodeModelJSON(artifacts)), 'utf8');
  fs.writeFileSync(path.join(dir, WEIGHTS_BINARY_FILENAME),
                   Buffer.from(joinWeightData(artifacts.weightData)));
  return {modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts)};
}

/** An IOHandler whose save() writes to `dir` like `file://dir` in tfjs-node. */
export function nodeFileSaver(dir) {
  return {save: async (artifacts) => saveArtifactsSync(dir, artifacts)};
}

/** Reads all shards of a manifest, relative to `baseDir`, into [flatSpecs, ArrayBuffer]. */
export function readWeightsSync(weightsManifest, baseDir) {
  const buffers = [];
  const specs = [];
  for (const group of weightsManifest) {
    for (const p of group.paths) {
      const file = path.join(baseDir, p);
      if (!fs.existsSync(file)) {
        throw new Error(`Weight file ${file} does not exist: loading failed`);
      }
      buffers.push(fs.readFileSync(file));
    }
    specs.push(...(group.weights ?? []));
  }
  return [specs, toArrayBuffer(Buffer.concat(buffers))];
}

/** Loads a model.json (path or file://path) and its shards into ModelArtifacts. */
export async function loadArtifacts(jsonPath) {
  if (jsonPath.startsWith('file://')) jsonPath = jsonPath.slice('file://'.length);
  jsonPath = path.resolve(jsonPath);
  if (!fs.existsSync(jsonPath)) throw new Error(`Path ${jsonPath} does not exist: loading failed`);
  if (!fs.statSync(jsonPath).isFile()) {
    throw new Error('The path to load from must be a file. Loading from a directory ' +
                    'is not supported.');
  }
  const modelJSON = JSON.parse(fs.readFileSync(jsonPath, 'utf8'));
  const baseDir = path.dirname(jsonPath);
  return tf.io.getModelArtifactsForJSON(
      modelJSON, async (manifest) => readWeightsSync(manifest, baseDir));
}

/** An IOHandler whose load() reads `jsonPath` like `file://jsonPath` in tfjs-node. */
export function nodeFileLoader(jsonPath) {
  return {load: () => loadArtifacts(jsonPath)};
}

/**
 * What tfjs-node's copyModel('file://src.json', 'file://dst') would write. With
 * keepInitializer, modelInitializer and initializerSignature (which tfjs-node drops, §4.6) are
 * appended after the other keys, in that order: tfjs-model's documented choice (core/artifacts.h,
 * "we do not lose data").
 */
export async function nodeCopy(srcJson, dstDir, {keepInitializer = false} = {}) {
  const artifacts = await loadArtifacts(srcJson);
  const result = saveArtifactsSync(dstDir, artifacts);
  if (keepInitializer) {
    const modelJSON = nodeModelJSON(artifacts);
    if (artifacts.modelInitializer != null) modelJSON.modelInitializer = artifacts.modelInitializer;
    if (artifacts.initializerSignature != null) {
      modelJSON.initializerSignature = artifacts.initializerSignature;
    }
    fs.writeFileSync(path.join(path.resolve(dstDir), MODEL_JSON_FILENAME),
                     JSON.stringify(modelJSON), 'utf8');
  }
  return result;
}
