#pragma once

// Helpers shared by the core tests: little-endian encoders, writing model folders, folder
// snapshots (to check that a failed operation wrote nothing) and the table of broken models
// that the file:// handler and the CLI tests both walk.

#include "base/error.h"
#include "base/json.h"
#include "format/weightspec.h"

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>
#include <QTest>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/inotify.h>
#include <unistd.h>

namespace tfjs::test {

inline QString u8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

template <typename T>
QByteArray le(std::initializer_list<T> values)
{
    QByteArray out;
    for (T value : values) {
        char bytes[sizeof(T)];
        std::memcpy(bytes, &value, sizeof(T)); // the test machines are little-endian
        out.append(bytes, sizeof(T));
    }
    return out;
}
inline QByteArray f32(std::initializer_list<float> values) { return le<float>(values); }
inline QByteArray i32(std::initializer_list<std::int32_t> values) { return le<std::int32_t>(values); }

// A string tensor as TF.js encodes it: uint32 LE byte length, then the UTF-8 bytes.
inline QByteArray stringTensor(std::initializer_list<std::string_view> values)
{
    QByteArray out;
    for (std::string_view value : values) {
        out += le<std::uint32_t>({std::uint32_t(value.size())});
        out.append(value.data(), qsizetype(value.size()));
    }
    return out;
}

// `size` deterministic, varied bytes.
inline QByteArray pattern(qint64 size, int seed = 0)
{
    QByteArray out(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        out[i] = char((i * 31 + seed * 7 + (i >> 8)) & 0xff);
    return out;
}

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size()
           && file.flush();
}

inline QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Parses JSON written in a test; the tests only hold valid JSON there.
inline Json j(std::string_view text)
{
    auto value = parseJson(text, QStringLiteral("test JSON"));
    if (!value)
        qFatal("bad JSON in a test: %s", qPrintable(value.error().message));
    return *value;
}

// Parses one weights-manifest entry written in a test; the tests only hold valid ones there.
inline WeightSpec specOf(std::string_view json)
{
    auto spec = parseWeightSpec(j(json), QStringLiteral("test spec"));
    if (!spec)
        qFatal("bad spec in a test: %s", qPrintable(spec.error().message));
    return *spec;
}

inline QByteArray compact(const Json &value)
{
    return QByteArray::fromStdString(stringify(value));
}
// An optional JSON field for comparisons: its compact text, or "<absent>".
inline QByteArray compact(const std::optional<Json> &value)
{
    return value ? compact(*value) : QByteArray("<absent>");
}

// Every file and folder under `dir` (hidden ones too) with its bytes; folders end in '/'.
// A missing `dir` gives an empty tree with the single key "<absent>".
using Tree = std::map<QString, QByteArray>;
inline Tree snapshot(const QString &dir)
{
    Tree tree;
    if (!QFileInfo(dir).isDir()) {
        tree[QStringLiteral("<absent>")] = {};
        return tree;
    }
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    const QDir base(dir);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString name = base.relativeFilePath(path);
        if (QFileInfo(path).isDir())
            tree[name + QLatin1Char('/')] = {};
        else
            tree[name] = readFile(path);
    }
    return tree;
}

// The names in a folder (hidden ones too), sorted.
inline QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                               QDir::Name);
}

// Files the atomic writer leaves behind when something goes wrong (".<name>.tfjs-<id>").
inline QStringList tempFiles(const QString &dir)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (QFileInfo(path).fileName().contains(QStringLiteral(".tfjs-")))
            out << path;
    }
    return out;
}

struct ShardFile
{
    QString path; // relative to the model folder
    QByteArray bytes;
};

// Writes `jsonText` as `jsonName` and the shards into `dir`; returns the JSON's path.
inline QString writeModel(const QString &dir, const QByteArray &jsonText,
                          const std::vector<ShardFile> &shards = {},
                          const QString &jsonName = QStringLiteral("model.json"))
{
    QDir().mkpath(dir);
    const QString jsonPath = dir + QLatin1Char('/') + jsonName;
    if (!writeFile(jsonPath, jsonText))
        qFatal("cannot write %s", qPrintable(jsonPath));
    for (const ShardFile &shard : shards) {
        if (!writeFile(dir + QLatin1Char('/') + shard.path, shard.bytes))
            qFatal("cannot write shard %s", qPrintable(shard.path));
    }
    return jsonPath;
}

// Splits `bytes` into shards at the given byte positions, named name1, name2, ...
inline std::vector<ShardFile> splitShards(const QByteArray &bytes, const std::vector<qint64> &cuts,
                                          const QString &prefix = QStringLiteral("group1-shard"))
{
    std::vector<ShardFile> out;
    qint64 from = 0;
    std::vector<qint64> ends = cuts;
    ends.push_back(bytes.size());
    for (std::size_t i = 0; i < ends.size(); ++i) {
        out.push_back({QStringLiteral("%1%2of%3.bin").arg(prefix).arg(i + 1).arg(ends.size()),
                       bytes.mid(from, ends[i] - from)});
        from = ends[i];
    }
    return out;
}

// A small layers-model: "dense/kernel" float32 [2,3] and "dense/bias" int32 [3] (36 bytes).
inline QByteArray smallWeights()
{
    return f32({1.5f, -2.0f, 0.25f, 3.0f, 4.0f, -0.5f}) + i32({7, -8, 9});
}
inline Json smallSpecs()
{
    return j(R"([{"name":"dense/kernel","shape":[2,3],"dtype":"float32"},)"
             R"({"name":"dense/bias","shape":[3],"dtype":"int32"}])");
}
inline Json smallTopology()
{
    return j(R"({"class_name":"Sequential","config":{"name":"seq","layers":[)"
             R"({"class_name":"Dense","config":{"units":3,"name":"dense"}}]},)"
             R"("keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"})");
}
// model.json for smallWeights() with the given shard paths in one group.
inline Json smallModelJson(const QStringList &paths)
{
    Json manifestPaths = Json::array();
    for (const QString &path : paths)
        manifestPaths.push_back(path.toStdString());
    Json json = Json::object();
    json["modelTopology"] = smallTopology();
    json["format"] = "layers-model";
    json["generatedBy"] = "TensorFlow.js tfjs-layers v4.22.0";
    json["convertedBy"] = nullptr;
    Json group = Json::object();
    group["paths"] = manifestPaths;
    group["weights"] = smallSpecs();
    json["weightsManifest"] = Json::array({group});
    return json;
}
// Writes the small model into `dir` with one shard "weights.bin"; returns the JSON's path.
inline QString writeSmallModel(const QString &dir)
{
    return writeModel(dir, compact(smallModelJson({QStringLiteral("weights.bin")})),
                      {{QStringLiteral("weights.bin"), smallWeights()}});
}

// A model folder that every loader must refuse. Placeholders in `json`, shard paths and
// `message`: {root} = the test's root folder (where outside.bin lives), {dir} = the model
// folder, {json} = the path handed to the loader. A Parse case's message is whatever parseJson
// reports for the same text (json.cpp's own tests pin those texts).
struct BrokenModel
{
    const char *name;
    QByteArray json;                    // empty with noJson: no model JSON is written
    std::vector<ShardFile> shards;
    ErrorCode code;
    QString message;
    bool noJson = false;
    bool loadFolder = false;            // hand the loader the folder instead of model.json
};

// 16 bytes: exactly what kGoodSpec needs; outside.bin holds the same amount.
inline QByteArray sixteen() { return pattern(16, 3); }

inline QByteArray nested(int depth, char open, char close, const QByteArray &inner = "1")
{
    QByteArray out(depth, open);
    out += inner;
    out += QByteArray(depth, close);
    return out;
}

inline QByteArray nestedObjects(int depth)
{
    QByteArray out;
    out.reserve(depth * 6 + 2);
    for (int i = 0; i < depth; ++i)
        out += "{\"a\":";
    out += "1";
    out += QByteArray(depth, '}');
    return out;
}

// A model JSON with one group holding `paths` (JSON text) and `weights` (JSON text).
inline QByteArray manifestJson(const QByteArray &paths, const QByteArray &weights)
{
    return QByteArray(R"({"modelTopology":{"class_name":"Sequential","config":{}},)"
                      R"("weightsManifest":[{"paths":)")
           + paths + R"(,"weights":)" + weights + "}]}";
}
inline QByteArray oneWeight(const QByteArray &spec, const QByteArray &path = "\"w.bin\"")
{
    return manifestJson("[" + path + "]", "[" + spec + "]");
}

inline const QByteArray kGoodSpec = R"({"name":"w","shape":[2,2],"dtype":"float32"})";

// Models whose string tensors break the layout (checkWeightLayout): every loader that reads
// weights and every verb must refuse them alike, naming the tensor and the byte offset.
struct BrokenLayout
{
    BrokenModel model;
    QString tensor;
    qint64 offset;
};

inline std::vector<BrokenLayout> brokenStringLayouts()
{
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    const auto strings = [](int n) -> QByteArray {
        return QByteArray(R"({"name":"s","shape":[)") + QByteArray::number(n)
               + R"(],"dtype":"string"})";
    };
    const auto floats = [](int n) -> QByteArray {
        return QByteArray(R"({"name":"f","shape":[)") + QByteArray::number(n)
               + R"(],"dtype":"float32"})";
    };
    const auto inW = [](const QByteArray &specs) -> QByteArray {
        return manifestJson("[\"w.bin\"]", specs);
    };
    const QByteArray str1 = strings(1);
    const QByteArray str2 = strings(2);
    const QByteArray past = le<std::uint32_t>({100});
    const auto w = [](const QByteArray &bytes) {
        return std::vector<ShardFile>{{QStringLiteral("w.bin"), bytes}};
    };
    const char *shortData = "The weight files of {json} are too short: ";
    const char *longData = "The weight files of {json} are too long: ";
    return {
        {{"length prefix past the end", oneWeight(str2), w(stringTensor({"ab"}) + past + "xyz"),
          ErrorCode::Weights,
          s(shortData) + s("the length prefix of string element 1 of tensor 's' (which starts at "
                           "byte 0) at byte 6 says 100 bytes, which would end at byte 110, but the "
                           "data ends at byte 13, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("s"), 6},
        {{"first length prefix past the end", oneWeight(str1), w(past + "abc"), ErrorCode::Weights,
          s(shortData) + s("the length prefix of string element 0 of tensor 's' (which starts at "
                           "byte 0) at byte 0 says 100 bytes, which would end at byte 104, but the "
                           "data ends at byte 7, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("s"), 0},
        {{"length prefix past the end, split across shards",
          manifestJson(R"(["a.bin","b.bin"])", "[" + str2 + "]"),
          {{QStringLiteral("a.bin"), stringTensor({"ab"}) + past.left(2)},
           {QStringLiteral("b.bin"), past.mid(2) + "xyz"}},
          ErrorCode::Weights,
          s(shortData) + s("the length prefix of string element 1 of tensor 's' (which starts at "
                           "byte 0) at byte 6 says 100 bytes, which would end at byte 110, but the "
                           "data ends at byte 13, the end of the last shard, {dir}/b.bin (shards: "
                           "a.bin 8 bytes, b.bin 5 bytes).")},
         QStringLiteral("s"), 6},
        {{"length prefix missing", oneWeight(strings(3)),
          w(stringTensor({"ab", "c"}) + "zz"), ErrorCode::Weights,
          s(shortData) + s("string element 2 of tensor 's' (which starts at byte 0) needs a 4-byte "
                           "length prefix at byte 11, but the data ends at byte 13, the end of the "
                           "last shard, {dir}/w.bin.")},
         QStringLiteral("s"), 11},
        {{"fewer bytes than the length prefixes", oneWeight(strings(5)),
          w(stringTensor({"", ""})), ErrorCode::Weights,
          s(shortData) + s("string tensor 's' starts at byte 0 and needs at least 20 bytes, a "
                           "4-byte length prefix for each of its 5 elements, but the data ends at "
                           "byte 8, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("s"), 0},
        {{"bytes after the last string", oneWeight(str1), w(stringTensor({"ab"}) + "zz"),
          ErrorCode::Weights,
          s(longData) + s("2 bytes follow the last tensor 's', which ends at byte 6; the data ends "
                          "at byte 8, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("s"), 6},
        {{"a byte after a number after a string", inW("[" + str1 + "," + floats(1) + "]"),
          w(stringTensor({"ab"}) + f32({1}) + "!"), ErrorCode::Weights,
          s(longData) + s("1 byte follows the last tensor 'f', which ends at byte 10; the data "
                          "ends at byte 11, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("f"), 10},
        {{"number after a string cut short", inW("[" + str2 + "," + floats(2) + "]"),
          w(stringTensor({"a", "bcde"}) + f32({1})), ErrorCode::Weights,
          s(shortData) + s("tensor 'f' starts at byte 13 and needs 8 bytes, but the data ends at "
                           "byte 17, the end of the last shard, {dir}/w.bin.")},
         QStringLiteral("f"), 13},
    };
}

inline std::vector<BrokenModel> brokenModels()
{
    const ShardFile w{QStringLiteral("w.bin"), sixteen()};
    const auto spec = [](const QByteArray &rest) {
        return oneWeight(R"({"name":"w",)" + rest + "}");
    };
    const auto s = [](const char *text) { return QString::fromUtf8(text); };
    std::vector<BrokenModel> out = {
        // The model JSON itself.
        {"missing model JSON", {}, {w}, ErrorCode::NotFound,
         s("Path {json} does not exist: loading failed"), true},
        {"folder without model.json", {}, {w}, ErrorCode::NotFound,
         s("The folder {json} holds no model JSON file; give the path of the model JSON file to load."),
         true, true},
        {"empty file", "", {w}, ErrorCode::Parse, {}},
        {"not JSON", "hello", {w}, ErrorCode::Parse, {}},
        {"truncated JSON", R"({"modelTopology": {"class_name": "Sequential", "config": {)", {w},
         ErrorCode::Parse, {}},
        {"trailing garbage", R"({"modelTopology": {}} x)", {w}, ErrorCode::Parse, {}},
        {"invalid UTF-8", "{\"modelTopology\": {\"name\": \"\xff\xfe\"}}", {w}, ErrorCode::Parse, {}},
        {"arrays nested 100000 deep", nested(100000, '[', ']'), {w}, ErrorCode::Parse, {}},
        {"topology nested 100000 deep",
         "{\"modelTopology\":" + nestedObjects(100000) + "}", {w}, ErrorCode::Parse, {}},
        {"top level is a number", "42", {w}, ErrorCode::Format,
         s("{json} is not a TensorFlow.js model JSON: expected an object or a weights manifest "
           "array, found number.")},
        {"neither topology nor manifest", R"({"format":"layers-model"})", {w}, ErrorCode::Format,
         s("{json} is not a TensorFlow.js model JSON: it has neither 'modelTopology' nor "
           "'weightsManifest'.")},
        // Known keys of the wrong type.
        {"topology is an array", R"({"modelTopology":[1,2]})", {w}, ErrorCode::Format,
         s("In {json}, 'modelTopology' must be an object, found array.")},
        {"format is a number", R"({"modelTopology":{},"format":3})", {w}, ErrorCode::Format,
         s("In {json}, 'format' must be a string, found number.")},
        {"generatedBy is an object", R"({"modelTopology":{},"generatedBy":{}})", {w},
         ErrorCode::Format, s("In {json}, 'generatedBy' must be a string, found object.")},
        {"signature is a string", R"({"modelTopology":{},"signature":"x"})", {w},
         ErrorCode::Format, s("In {json}, 'signature' must be an object, found string.")},
        {"trainingConfig is an array", R"({"modelTopology":{},"trainingConfig":[]})", {w},
         ErrorCode::Format, s("In {json}, 'trainingConfig' must be an object, found array.")},
        {"manifest is an object", R"({"modelTopology":{},"weightsManifest":{}})", {w},
         ErrorCode::Format, s("The weights manifest in {json} is not an array.")},
        {"group is not an object", R"({"weightsManifest":[[]]})", {w}, ErrorCode::Format,
         s("Group weightsManifest[0] in {json} is not an object.")},
        {"group without paths", R"({"weightsManifest":[{"weights":[]}]})", {w}, ErrorCode::Format,
         s("Group weightsManifest[0] in {json} has no 'paths' array.")},
        {"path is a number", manifestJson("[1]", "[]"), {w}, ErrorCode::Format,
         s("Path weightsManifest[0].paths[0] in {json} is not a string.")},
        {"weights is an object", manifestJson("[\"w.bin\"]", "{}"), {w}, ErrorCode::Format,
         s("Group weightsManifest[0] in {json} has a 'weights' value that is not an array.")},
        {"entry without name", oneWeight(R"({"shape":[2,2],"dtype":"float32"})"), {w},
         ErrorCode::Format, s("Entry weightsManifest[0].weights[0] in {json} has no string 'name'.")},
        {"entry without shape", spec(R"("dtype":"float32")"), {w}, ErrorCode::Format,
         s("Weight 'w' has no 'shape' array.")},
        {"unknown dtype", spec(R"("shape":[2,2],"dtype":"float64")"), {w}, ErrorCode::Format,
         s("Weight 'w' has unknown dtype 'float64'.")},
        // Shapes.
        {"negative dimension", spec(R"("shape":[2,-2],"dtype":"float32")"), {w}, ErrorCode::Format,
         s("Weight 'w' has an invalid shape: dimension 1 is -2.")},
        {"fractional dimension", spec(R"("shape":[1.5],"dtype":"float32")"), {w},
         ErrorCode::Format, s("Weight 'w' has an invalid shape: dimension 0 is 1.5, not a whole number.")},
        {"dimension beyond 2^53", spec(R"("shape":[9007199254740993],"dtype":"float32")"), {w},
         ErrorCode::Format,
         s("Weight 'w' has an invalid shape: dimension 0 is 9007199254740993, more than 2^53 - 1.")},
        {"element count overflows", spec(R"("shape":[4000000000,4000000000],"dtype":"float32")"),
         {w}, ErrorCode::Format,
         s("Weight 'w' has an invalid shape: [4000000000,4000000000] holds more than 2^63 - 1 "
           "elements.")},
        {"byte size overflows", spec(R"("shape":[2000000000,2000000000],"dtype":"float32")"), {w},
         ErrorCode::Format,
         s("Weight 'w' is too large: its 4000000000000000000 elements take more than 2^63 - 1 "
           "bytes.")},
        {"shape far larger than the data", spec(R"("shape":[100000,100000],"dtype":"float32")"),
         {w}, ErrorCode::Weights,
         s("The weight files of {json} are too short: tensor 'w' starts at byte 0 and needs "
           "40000000000 bytes, but the data ends at byte 16, the end of the last shard, "
           "{dir}/w.bin.")},
        {"string tensor far larger than the data",
         spec(R"("shape":[1000000000],"dtype":"string")"), {w}, ErrorCode::Weights,
         s("The weight files of {json} are too short: string tensor 'w' starts at byte 0 and "
           "needs at least 4000000000 bytes, a 4-byte length prefix for each of its 1000000000 "
           "elements, but the data ends at byte 16, the end of the last shard, {dir}/w.bin.")},
        // Quantization.
        {"uint8 without min and scale",
         spec(R"("shape":[16],"dtype":"float32","quantization":{"dtype":"uint8"})"), {w},
         ErrorCode::Format,
         s("Weight 'w' has uint8 quantization without 'min' and 'scale'; uint8 quantization "
           "requires 'min' and 'scale'.")},
        {"uint16 without scale",
         spec(R"("shape":[8],"dtype":"float32","quantization":{"dtype":"uint16","min":0})"), {w},
         ErrorCode::Format,
         s("Weight 'w' has uint16 quantization without 'scale'; uint16 quantization requires "
           "'min' and 'scale'.")},
        {"scale is a string",
         spec(R"("shape":[16],"dtype":"float32","quantization":{"dtype":"uint8","min":0,"scale":"1"})"),
         {w}, ErrorCode::Format, s("Weight 'w' has a quantization 'scale' that is not a finite number.")},
        {"unknown quantization dtype",
         spec(R"("shape":[16],"dtype":"float32","quantization":{"dtype":"int4","min":0,"scale":1})"),
         {w}, ErrorCode::Format, s("Weight 'w' has quantization with unknown dtype 'int4'.")},
        {"float16 on int32",
         spec(R"("shape":[8],"dtype":"int32","quantization":{"dtype":"float16"})"), {w},
         ErrorCode::Format,
         s("Weight 'w' has float16 quantization, which TF.js allows only on float32 weights, not "
           "int32.")},
        {"quantized bool",
         spec(R"("shape":[16],"dtype":"bool","quantization":{"dtype":"uint8","min":0,"scale":1})"),
         {w}, ErrorCode::Format,
         s("Weight 'w' has dtype bool, which cannot be quantized (only float32 and int32 can).")},
        {"quantization is null", spec(R"("shape":[2,2],"dtype":"float32","quantization":null)"),
         {w}, ErrorCode::Format, s("Weight 'w' has a 'quantization' that is not an object.")},
        // Names.
        {"duplicate names across groups",
         R"({"modelTopology":{},"weightsManifest":[)"
         R"({"paths":["a.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]},)"
         R"({"paths":["b.bin"],"weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]})",
         {{QStringLiteral("a.bin"), pattern(8)}, {QStringLiteral("b.bin"), pattern(8)}},
         ErrorCode::Format, s("Weight 'w' is listed twice in {json}.")},
        // Shards that are missing, short or long.
        {"missing shard", oneWeight(kGoodSpec), {}, ErrorCode::NotFound,
         s("Weight file {dir}/w.bin does not exist: loading failed")},
        {"two missing shards",
         manifestJson(R"(["a.bin","here.bin","b.bin"])", "[" + kGoodSpec + "]"),
         {{QStringLiteral("here.bin"), sixteen()}}, ErrorCode::NotFound,
         s("2 weight files do not exist: loading failed: {dir}/a.bin, {dir}/b.bin")},
        {"shard is a folder", oneWeight(kGoodSpec, "\"sub\""),
         {{QStringLiteral("sub/x.bin"), sixteen()}}, ErrorCode::Format,
         s("Weight file {dir}/sub is a folder, not a file: loading failed")},
        {"short shard", oneWeight(kGoodSpec), {{QStringLiteral("w.bin"), pattern(15)}},
         ErrorCode::Weights,
         s("The weight files of {json} are too short: tensor 'w' starts at byte 0 and needs 16 "
           "bytes, but the data ends at byte 15, the end of the last shard, {dir}/w.bin.")},
        {"short second shard",
         manifestJson(R"(["a.bin","b.bin"])",
                      "[" + kGoodSpec + R"(,{"name":"b","shape":[3],"dtype":"int32"}])"),
         {{QStringLiteral("a.bin"), pattern(17)}, {QStringLiteral("b.bin"), pattern(3)}},
         ErrorCode::Weights,
         s("The weight files of {json} are too short: tensor 'b' starts at byte 16 and needs 12 "
           "bytes, but the data ends at byte 20, the end of the last shard, {dir}/b.bin "
           "(shards: a.bin 17 bytes, b.bin 3 bytes).")},
        {"long shard", oneWeight(kGoodSpec), {{QStringLiteral("w.bin"), pattern(17)}},
         ErrorCode::Weights,
         s("The weight files of {json} are too long: 1 byte follows the last tensor 'w', which "
           "ends at byte 16; the data ends at byte 17, the end of the last shard, {dir}/w.bin.")},
        {"shard but no specs", manifestJson("[\"w.bin\"]", "[]"), {w}, ErrorCode::Weights,
         s("The weight files of {json} are too long: the specs list no tensors; the data ends at "
           "byte 16, the end of the last shard, {dir}/w.bin.")},
        // Shard paths that would leave the folder (outside.bin holds 16 valid bytes).
        {"absolute shard path", oneWeight(kGoodSpec, "\"{root}/outside.bin\""), {w},
         ErrorCode::Format,
         s("Shard path '{root}/outside.bin' in {json} is absolute; it must be relative to the "
           "model's folder.")},
        {"shard path with ..", oneWeight(kGoodSpec, "\"../outside.bin\""), {w}, ErrorCode::Format,
         s("Shard path '../outside.bin' in {json} leaves the model's folder.")},
        {"shard path with .. inside", oneWeight(kGoodSpec, "\"sub/../../outside.bin\""), {w},
         ErrorCode::Format, s("Shard path 'sub/../../outside.bin' in {json} leaves the model's folder.")},
        {"shard path with a NUL", oneWeight(kGoodSpec, R"("w.bin\u0000.txt")"), {w},
         ErrorCode::Format, s("Shard path 'w.bin\\0.txt' in {json} contains a NUL byte.")},
        {"shard path is a URL", oneWeight(kGoodSpec, "\"http://x/y.bin\""), {w}, ErrorCode::Format,
         s("Shard path 'http://x/y.bin' in {json} is a URL; it must name a file in the model's "
           "folder.")},
        {"shard path is a file URL", oneWeight(kGoodSpec, "\"file://{root}/outside.bin\""), {w},
         ErrorCode::Format,
         s("Shard path 'file://{root}/outside.bin' in {json} is a URL; it must name a file in the "
           "model's folder.")},
        {"shard path with a drive letter", oneWeight(kGoodSpec, "\"C:/outside.bin\""), {w},
         ErrorCode::Format,
         s("Shard path 'C:/outside.bin' in {json} is absolute; it must be relative to the model's "
           "folder.")},
        {"empty shard path", oneWeight(kGoodSpec, "\"\""), {w}, ErrorCode::Format,
         s("A shard path in {json} is empty.")},
    };
    for (const BrokenLayout &layout : brokenStringLayouts())
        out.push_back(layout.model);
    return out;
}

// Fills the placeholders of a BrokenModel text.
inline QString expand(QString text, const QString &root, const QString &dir, const QString &json)
{
    return text.replace(QStringLiteral("{root}"), root)
        .replace(QStringLiteral("{dir}"), dir)
        .replace(QStringLiteral("{json}"), json);
}
// Byte-wise, so that deliberately invalid UTF-8 survives.
inline QByteArray expand(QByteArray text, const QString &root, const QString &dir,
                         const QString &json)
{
    return text.replace("{root}", root.toUtf8())
        .replace("{dir}", dir.toUtf8())
        .replace("{json}", json.toUtf8());
}

// Writes a broken model under `root` ("model" folder, with root/outside.bin beside it) and
// returns the path to hand the loader.
inline QString writeBrokenModel(const BrokenModel &model, const QString &root)
{
    const QString dir = root + QStringLiteral("/model");
    const QString jsonPath = dir + QStringLiteral("/model.json");
    writeFile(root + QStringLiteral("/outside.bin"), sixteen());
    QDir().mkpath(dir);
    for (const ShardFile &shard : model.shards)
        writeFile(dir + QLatin1Char('/') + shard.path, shard.bytes);
    const QString target = model.loadFolder ? dir : jsonPath;
    if (!model.noJson)
        writeFile(jsonPath, expand(model.json, root, dir, target));
    return target;
}

// Reports whether anything opened or read a file while it was being watched (inotify), to
// prove that a loader never touches a file outside the model's folder.
class AccessWatch
{
public:
    explicit AccessWatch(const QString &path)
    {
        m_fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        if (m_fd >= 0)
            m_wd = ::inotify_add_watch(m_fd, QFile::encodeName(path).constData(),
                                       IN_OPEN | IN_ACCESS);
    }
    ~AccessWatch()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    AccessWatch(const AccessWatch &) = delete;
    AccessWatch &operator=(const AccessWatch &) = delete;

    bool isValid() const { return m_fd >= 0 && m_wd >= 0; }
    // True when at least one open/read happened since the last call.
    bool touched()
    {
        alignas(inotify_event) char buffer[4096];
        bool any = false;
        while (::read(m_fd, buffer, sizeof buffer) > 0)
            any = true;
        return any;
    }

private:
    int m_fd = -1;
    int m_wd = -1;
};

} // namespace tfjs::test

// QCOMPARE on an error's code (by its stable name, for readable failures) and message.
#define TFJS_COMPARE_ERROR(result, expectedCode, expectedMessage)                                  \
    do {                                                                                           \
        const auto &tfjsResult_ = (result);                                                        \
        QVERIFY2(!tfjsResult_.has_value(), "expected an error, got success");                      \
        QCOMPARE(tfjs::errorCodeName(tfjsResult_.error().code), tfjs::errorCodeName(expectedCode)); \
        QCOMPARE(tfjsResult_.error().message, (expectedMessage));                                  \
    } while (false)

// QVERIFY on a Result, printing the error when it failed.
#define TFJS_VERIFY_OK(result)                                                                     \
    do {                                                                                           \
        const auto &tfjsResult_ = (result);                                                        \
        QVERIFY2(tfjsResult_.has_value(),                                                          \
                 tfjsResult_.has_value() ? "" : qPrintable(tfjsResult_.error().toString()));       \
    } while (false)
