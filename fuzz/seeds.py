#!/usr/bin/env python3
"""Writes fuzz/corpus/<target>/: a few small valid inputs per fuzz target (fuzz/README.md).

JSON seeds have the shapes tests/core build (a dense layers model, a graph model, quantized and
string tensors); the Chromium seeds are tests/core/data/chromium's record values, cut at the
layer each target reads; the other binary seeds are built byte by byte as the tests build them
(tst_structuredclone, tst_leveldblog, tst_snappydecode, tst_idbkey, tst_firefoxkey).
Usage: python3 fuzz/seeds.py   (rewrites fuzz/corpus/)
"""
import json
import pathlib
import shutil
import struct

root = pathlib.Path(__file__).resolve().parent
chromium = root.parent / "tests" / "core" / "data" / "chromium"
corpus = root / "corpus"


def write(target, name, data):
    folder = corpus / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data.encode() if isinstance(data, str) else data)


def dumps(value):
    return json.dumps(value, separators=(",", ":"))


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint(value):
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


# --- model.json, manifests, weight specs ------------------------------------------------------
dense_topology = {
    "class_name": "Sequential",
    "config": {"name": "tiny", "layers": [{"class_name": "Dense", "config": {
        "name": "dense", "units": 2, "activation": "linear", "use_bias": True,
        "batch_input_shape": [None, 3], "dtype": "float32"}}]},
    "keras_version": "tfjs-layers 4.22.0", "backend": "tensor_flow.js"}
dense_specs = [{"name": "dense/kernel", "shape": [3, 2], "dtype": "float32"},
               {"name": "dense/bias", "shape": [2], "dtype": "float32"}]
quant_specs = [
    {"name": "q8", "shape": [4], "dtype": "float32",
     "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.0078125}},
    {"name": "q16", "shape": [2, 2], "dtype": "float32",
     "quantization": {"dtype": "uint16", "min": -2.0, "scale": 0.0001}},
    {"name": "h", "shape": [3], "dtype": "float32", "quantization": {"dtype": "float16"}},
]
other_specs = [{"name": "i", "shape": [2], "dtype": "int32"},
               {"name": "b", "shape": [3], "dtype": "bool"},
               {"name": "s", "shape": [2], "dtype": "string"},
               {"name": "c", "shape": [1], "dtype": "complex64"}]
graph_topology = {"node": [
    {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
                                                 "shape": {"shape": {"dim": [{"size": "-1"}, {"size": "3"}]}}}},
    {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}}},
    {"name": "y", "op": "MatMul", "input": ["x", "w"]}],
    "library": {}, "versions": {"producer": 1}}


def manifest(specs, paths=("group1-shard1of1.bin",)):
    return [{"paths": list(paths), "weights": specs}]


layers_model = {"format": "layers-model", "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
                "convertedBy": None, "modelTopology": dense_topology,
                "weightsManifest": manifest(dense_specs)}
graph_model = {"format": "graph-model", "generatedBy": "2.15.0", "convertedBy": "TensorFlow.js Converter v4.22.0",
               "modelTopology": graph_topology,
               "weightsManifest": manifest([{"name": "w", "shape": [3, 1], "dtype": "float32"}]),
               "signature": {"inputs": {"x:0": {"name": "x:0", "dtype": "DT_FLOAT"}}}}
quant_model = {"format": "graph-model", "modelTopology": graph_topology,
               "weightsManifest": manifest(quant_specs + other_specs,
                                           ["group1-shard1of2.bin", "group1-shard2of2.bin"]),
               "userDefinedMetadata": {"note": "fuzz"}}
write("model_json", "layers.json", dumps(layers_model))
write("model_json", "graph.json", dumps(graph_model))
write("model_json", "quantized.json", dumps(quant_model))
write("model_json", "topology-only.json", dumps({"modelTopology": dense_topology}))

write("weights_manifest", "dense.json", dumps(manifest(dense_specs)))
write("weights_manifest", "quantized.json", dumps(manifest(quant_specs, ["a/b.bin", "c.bin"])))
write("weights_manifest", "specs.json", dumps(other_specs))
write("weights_manifest", "two-groups.json",
      dumps(manifest(dense_specs) + manifest(other_specs[:2], ["group2-shard1of1.bin"])))

f32 = struct.pack("<6f", 1, -2, 0.5, 0, 3.25, -1) + struct.pack("<2f", 0.1, 0.2)
write("weight_decode", "dense.bin", dumps(dense_specs).encode() + b"\0" + f32)
quant_bytes = bytes([0, 64, 128, 255]) + struct.pack("<4H", 0, 1, 40000, 65535) + struct.pack("<3e", 1, -0.5, 65504)
write("weight_decode", "quantized.bin", dumps(quant_specs).encode() + b"\0" + quant_bytes)
strings = struct.pack("<I", 3) + b"abc" + struct.pack("<I", 0)
other_bytes = struct.pack("<2i", 7, -7) + bytes([1, 0, 1]) + strings + struct.pack("<2f", 1, 2)
write("weight_decode", "other.bin", dumps(other_specs).encode() + b"\0" + other_bytes)

# --- the stores' records ---------------------------------------------------------------------
info = {"dateSaved": "2026-12-07T09:00:00.000Z", "modelTopologyType": "JSON",
        "modelTopologyBytes": 420, "weightSpecsBytes": 120, "weightDataBytes": 32}
write("store_records", "artifacts.json",
      dumps({"modelTopology": dense_topology, "weightSpecs": dense_specs, "format": "layers-model",
             "generatedBy": "TensorFlow.js tfjs-layers v4.22.0", "convertedBy": None}))
write("store_records", "info.json", dumps(info))
items = [dumps(info), dumps(dense_topology), dumps(dense_specs), "AACAPwAAAMAAAAA/AAAAAAAAUEAAAIC/zczMPc3MTD4=",
         dumps({"format": "layers-model", "generatedBy": "TensorFlow.js tfjs-layers v4.22.0",
                "convertedBy": None})]
write("store_records", "localstorage-items", "\0".join(items))

write("tfjsrecord", "models-store.json",
      dumps({"modelPath": "tiny", "modelArtifacts": {"modelTopology": dense_topology,
                                                      "weightSpecs": dense_specs,
                                                      "format": "layers-model"}}))
write("tfjsrecord", "info-store.json", dumps({"modelPath": "tiny", "modelArtifactsInfo":
                                              dict(info, dateSaved=1796588629507.0)}))

# --- the model server's upload parts ---------------------------------------------------------
model_json = dumps({"modelTopology": dense_topology,
                    "weightsManifest": manifest(dense_specs, ["./model.weights.bin"]),
                    "format": "layers-model"})
write("upload_parts", "model", b"model.json\0" + model_json.encode() + b"\0model.weights.bin\0" + f32)
write("upload_parts", "topology-only", b"model.json\0" + dumps({"modelTopology": dense_topology}).encode())

# --- HTTP answers ----------------------------------------------------------------------------
write("http_response", "length", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
      "Content-Length: 11\r\n\r\n{\"ok\":true}")
write("http_response", "chunked", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
      "4\r\nabcd\r\n3;ext=1\r\nefg\r\n0\r\nX-Trailer: 1\r\n\r\n")
write("http_response", "close", "HTTP/1.0 413 Payload Too Large\r\nConnection: close\r\n\r\ntoo big")
write("http_response", "continue", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n")

# --- browser keys ----------------------------------------------------------------------------
write("idbkey", "prefix", bytes.fromhex("2034120101"))
write("idbkey", "string-key", bytes.fromhex("00010101") + bytes.fromhex("010400740069006e0079"))
write("idbkey", "database-name", bytes.fromhex("00000000c9") + varint(4) + "file".encode("utf-16-be")
      + varint(11) + "tensorflowjs".encode("utf-16-be")[:22])
write("idbkey", "store-name", bytes.fromhex("00010000320200"))
write("idbkey", "blob-list", bytes.fromhex("0003") + varint(0) + bytes.fromhex("dcb38001"))
write("firefoxkey", "ascii", bytes.fromhex("306d62736866"))
write("firefoxkey", "unicode", bytes.fromhex("30") + bytes.fromhex("c3bd") + bytes.fromhex("82"))
write("firefoxkey", "empty", bytes.fromhex("30"))

# --- Chromium record values (tests/core/data/chromium) -----------------------------------------
tiny = (chromium / "tiny-models-store.bin").read_bytes()
zeros = (chromium / "zeros-models-store.bin").read_bytes()
zstd_value = (chromium / "tiny-sqlite-zstd.bin").read_bytes()
write("blinkvalue", "tiny-models-store.bin", tiny)
write("blinkvalue", "zeros-models-store.bin", zeros)
blink_at = tiny.find(b"\xff\x15")
v8_at = tiny.find(b"\xff\x10", blink_at)
write("v8value", "tiny-record.v8", tiny[v8_at:])
write("v8value", "small-object.v8", bytes.fromhex("ff106f22016149026f220162490a7b02"))
write("decompress", "tiny-sqlite-zstd.bin", zstd_value)
write("decompress", "zeros-raw.snappy", zeros[zeros.find(b"\xff\x11\x02") + 3:])

# --- SpiderMonkey structured clones (as tst_structuredclone builds them) ------------------------
K_HEADER, K_NULL, K_BOOL, K_INT32, K_STRING, K_DATE = 0xFFF10000, 0xFFFF0000, 0xFFFF0002, 0xFFFF0003, 0xFFFF0004, 0xFFFF0005
K_ARRAY, K_OBJECT, K_BACKREF, K_END, K_ARRAYBUFFER = 0xFFFF0007, 0xFFFF0008, 0xFFFF000D, 0xFFFF0013, 0xFFFF001F


class Clone:
    def __init__(self):
        self.data = bytearray()
        self.pair(K_HEADER, 3)

    def word(self, value):
        self.data += struct.pack("<Q", value)
        return self

    def pair(self, tag, value=0):
        return self.word((tag << 32) | value)

    def number(self, value):
        self.data += struct.pack("<d", value)
        return self

    def padded(self, raw):
        self.data += raw + b"\0" * ((8 - len(raw) % 8) % 8)
        return self

    def latin1(self, text):
        raw = text.encode("latin-1")
        self.pair(K_STRING, len(raw) | 0x80000000)
        return self.padded(raw)


def clone_record():
    c = Clone()
    c.pair(K_OBJECT).latin1("modelPath").latin1("tiny")
    c.latin1("modelArtifacts").pair(K_OBJECT)
    c.latin1("modelTopology").pair(K_OBJECT).latin1("class_name").latin1("Sequential").pair(K_END)
    c.latin1("weightSpecs").pair(K_ARRAY, 1).pair(K_INT32, 0).pair(K_OBJECT)
    c.latin1("name").latin1("w").latin1("shape").pair(K_ARRAY, 1).pair(K_INT32, 0).pair(K_INT32, 2).pair(K_END)
    c.latin1("dtype").latin1("float32").pair(K_END).pair(K_END)
    c.latin1("weightData").pair(K_ARRAYBUFFER).word(8).padded(struct.pack("<2f", 1.5, -2))
    c.latin1("format").latin1("layers-model").pair(K_END)
    c.latin1("info").pair(K_OBJECT).latin1("dateSaved").pair(K_DATE).number(1796588629507.0)
    c.latin1("ok").pair(K_BOOL, 1).latin1("none").pair(K_NULL).latin1("again").pair(K_BACKREF, 1).pair(K_END)
    c.pair(K_END)
    return bytes(c.data)


record = clone_record()
write("structuredclone", "record", record)
write("structuredclone", "int", bytes(Clone().pair(K_INT32, 7).data))


def framed(payload):
    out = bytearray(b"\xff\x06\x00\x00sNaPpY")
    body = struct.pack("<I", masked(payload)) + payload
    out += b"\x01" + struct.pack("<I", len(body))[:3] + body
    return bytes(out)


def raw_snappy_literal(payload):
    n = len(payload) - 1
    tag = bytes([n << 2]) if n < 60 else bytes([60 << 2, n])
    return varint(len(payload)) + tag + payload


write("framedvalueinput", "record.snappy", framed(record))
write("snappydecode", "framed.snappy", framed(b"hello, snappy framing"))
write("snappydecode", "raw.snappy", raw_snappy_literal(b"hello hello hello"))
write("snappydecode", "raw-copy.snappy", varint(12) + bytes([3 << 2]) + b"abcd" + bytes([((8 - 4) << 2) | 1, 4]))

# --- LevelDB logs (as tst_leveldblog builds them) ----------------------------------------------


def log_record(payload, kind=1):
    return struct.pack("<IHB", masked(bytes([kind]) + payload), len(payload), kind) + payload


def batch(sequence, puts, deletes=()):
    body = bytearray(struct.pack("<QI", sequence, len(puts) + len(deletes)))
    for key, value in puts:
        body += b"\x01" + varint(len(key)) + key + varint(len(value)) + value
    for key in deletes:
        body += b"\x00" + varint(len(key)) + key
    return bytes(body)


write("leveldblog", "log", log_record(batch(5, [(b"key", b"value"), (b"k2", b"v2")], [b"gone"])))
edit = (varint(1) + varint(len(b"leveldb.BytewiseComparator")) + b"leveldb.BytewiseComparator"
        + varint(2) + varint(3) + varint(3) + varint(4) + varint(7) + varint(0) + varint(5) + varint(123)
        + varint(3) + b"abc" + varint(3) + b"xyz")
write("leveldblog", "manifest", log_record(edit))
write("leveldblog", "fragmented", log_record(b"first part ", 2) + log_record(b"last part", 4))
