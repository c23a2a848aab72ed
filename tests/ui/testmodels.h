#pragma once
// Small helpers shared by the ui tests: write TF.js model folders to disk.

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>

#include <cstring>
#include <limits>
#include <vector>

namespace tfjs::uitest {

inline bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

inline QByteArray floats(const std::vector<float> &values)
{
    QByteArray bytes(qsizetype(values.size() * sizeof(float)), Qt::Uninitialized);
    std::memcpy(bytes.data(), values.data(), std::size_t(bytes.size()));
    return bytes;
}

// A Sequential model with one Dense layer (3 -> 2): kernel [3,2] and bias [2], 32 bytes of
// weights in `shard` (default weights.bin).
inline QByteArray denseModelJson(const QString &shard = QStringLiteral("weights.bin"))
{
    return QStringLiteral(
               R"({"modelTopology":{"class_name":"Sequential","config":{"name":"seq","layers":[)"
               R"({"class_name":"Dense","config":{"units":2,"activation":"linear","use_bias":true,)"
               R"("name":"dense","trainable":true,"batch_input_shape":[null,3],"dtype":"float32"}}]},)"
               R"("keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"},)"
               R"("format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,)"
               R"("weightsManifest":[{"paths":["%1"],"weights":[)"
               R"({"name":"dense/kernel","shape":[3,2],"dtype":"float32"},)"
               R"({"name":"dense/bias","shape":[2],"dtype":"float32"}]}]})")
        .arg(shard)
        .toUtf8();
}

inline QByteArray denseWeights(bool withNaN = false)
{
    std::vector<float> values{0.5f, -1.25f, 2.0f, 0.0f, 3.5f, -0.75f, 0.0f, 0.0f};
    if (withNaN)
        values[1] = std::numeric_limits<float>::quiet_NaN();
    return floats(values);
}

inline QByteArray graphWeights()
{
    return floats({1.0f, 2.0f, 3.0f, 4.0f});
}

// Writes DIR/model.json + DIR/weights.bin; returns the JSON's path.
inline QString writeDenseModel(const QString &dir, const QString &jsonName = QStringLiteral("model.json"),
                               const QString &shard = QStringLiteral("weights.bin"), bool withNaN = false)
{
    writeFile(QDir(dir).filePath(jsonName), denseModelJson(shard));
    writeFile(QDir(dir).filePath(shard), denseWeights(withNaN));
    return QDir(dir).filePath(jsonName);
}

// A graph-model (one Const node, a float32 [4] weight of 1, 2, 3, 4 in group1-shard1of1.bin):
// unlike the Dense model in format, size and bytes. Returns the JSON's path.
inline QString writeGraphModel(const QString &dir)
{
    const QByteArray json =
        R"({"format":"graph-model","generatedBy":"2.15.0","convertedBy":"TensorFlow.js Converter v4.22.0",)"
        R"("modelTopology":{"node":[{"name":"w","op":"Const","attr":{"dtype":{"type":"DT_FLOAT"}}}],)"
        R"("library":{},"versions":{"producer":1575}},)"
        R"("weightsManifest":[{"paths":["group1-shard1of1.bin"],)"
        R"("weights":[{"name":"w","shape":[4],"dtype":"float32"}]}]})";
    writeFile(QDir(dir).filePath(QStringLiteral("model.json")), json);
    writeFile(QDir(dir).filePath(QStringLiteral("group1-shard1of1.bin")), graphWeights());
    return QDir(dir).filePath(QStringLiteral("model.json"));
}

// A weights-only model of `tensors` float32 tensors of `tensorBytes` each, in 4 MiB shards
// (sparse files: they read as zeros without using disk). Returns the JSON's path.
inline QString writeLargeModel(const QString &dir, int tensors, qint64 tensorBytes)
{
    const qint64 shardBytes = qint64(4) << 20;
    const qint64 total = qint64(tensors) * tensorBytes;
    QStringList paths;
    for (qint64 offset = 0, i = 0; offset < total; offset += shardBytes, ++i) {
        const QString name = QStringLiteral("group1-shard%1of%2.bin").arg(i + 1).arg((total + shardBytes - 1) / shardBytes);
        QFile file(QDir(dir).filePath(name));
        QDir().mkpath(dir);
        if (!file.open(QIODevice::WriteOnly) || !file.resize(std::min(shardBytes, total - offset)))
            return {};
        paths << QStringLiteral("\"%1\"").arg(name);
    }
    QStringList weights;
    for (int t = 0; t < tensors; ++t)
        weights << QStringLiteral(R"({"name":"layer%1/kernel","shape":[%2],"dtype":"float32"})")
                       .arg(t)
                       .arg(tensorBytes / 4);
    const QString json = QStringLiteral(R"({"format":"layers-model","modelTopology":{"class_name":"Sequential","config":{"name":"big","layers":[]}},"weightsManifest":[{"paths":[%1],"weights":[%2]}]})")
                             .arg(paths.join(QLatin1Char(',')), weights.join(QLatin1Char(',')));
    writeFile(QDir(dir).filePath(QStringLiteral("model.json")), json.toUtf8());
    return QDir(dir).filePath(QStringLiteral("model.json"));
}

} // namespace tfjs::uitest
