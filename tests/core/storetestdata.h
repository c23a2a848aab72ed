#pragma once
// Test data shared by the store tests (tst_indexeddbstore, tst_localstorage, tst_downloads,
// tst_modelmanager, tst_storecrash): the fixtures of TF.js's own tests
// (tfjs-core/src/io/{local_storage,indexed_db,model_management}_test.ts) and small helpers.

#include "format/artifacts.h"
#include "base/json.h"
#include "handlers/registry.h"
#include "store/sha256.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QString>

#include <cstring>
#include <map>
#include <sys/stat.h>

namespace storetest {

using tfjs::Json;
using tfjs::ModelArtifacts;

// modelTopology1 of TF.js's tests. JSON.stringify(modelTopology1).length is 555 in TF.js.
inline const char *kTopology1 =
    R"({"class_name":"Sequential","keras_version":"2.1.4","config":[{"class_name":"Dense",)"
    R"("config":{"kernel_initializer":{"class_name":"VarianceScaling","config":{"distribution":)"
    R"("uniform","scale":1.0,"seed":null,"mode":"fan_avg"}},"name":"dense","kernel_constraint":)"
    R"(null,"bias_regularizer":null,"bias_constraint":null,"dtype":"float32","activation":)"
    R"("linear","trainable":true,"kernel_regularizer":null,"bias_initializer":{"class_name":)"
    R"("Zeros","config":{}},"units":1,"batch_input_shape":[null,3],"use_bias":true,)"
    R"("activity_regularizer":null}}],"backend":"tensorflow"})";
inline constexpr qint64 kTopology1Bytes = 555;
// weightSpecs1 (JSON.stringify length 109) and weightSpecs2 (117).
inline const char *kSpecs1 = R"([{"name":"dense/kernel","shape":[3,1],"dtype":"float32"},)"
                             R"({"name":"dense/bias","shape":[1],"dtype":"float32"}])";
inline constexpr qint64 kSpecs1Bytes = 109;
inline const char *kSpecs2 = R"([{"name":"dense/new_kernel","shape":[5,1],"dtype":"float32"},)"
                             R"({"name":"dense/new_bias","shape":[1],"dtype":"float32"}])";
inline constexpr qint64 kSpecs2Bytes = 117;
inline const char *kTrainingConfig1 =
    R"({"loss":"categorical_crossentropy","metrics":["accuracy"],)"
    R"("optimizer_config":{"class_name":"SGD","config":{"learningRate":0.1}}})";

inline Json json(const char *text)
{
    auto value = tfjs::parseJson(text, QStringLiteral("test data"));
    if (!value)
        qFatal("bad test JSON: %s", qPrintable(value.error().message));
    return *value;
}

inline std::vector<tfjs::WeightSpec> specs(const char *text)
{
    std::vector<tfjs::WeightSpec> out;
    for (const Json &entry : json(text)) {
        auto spec = tfjs::parseWeightSpec(entry, QStringLiteral("test data"));
        if (!spec)
            qFatal("bad test spec: %s", qPrintable(spec.error().message));
        out.push_back(*spec);
    }
    return out;
}

// artifacts1 of indexed_db_test.ts: topology, specs, 16 zero bytes, format, generatedBy,
// convertedBy null.
inline ModelArtifacts artifacts1()
{
    ModelArtifacts a;
    a.modelTopology = json(kTopology1);
    a.weightSpecs = specs(kSpecs1);
    a.weightData = tfjs::WeightData::fromBytes(QByteArray(16, '\0'));
    a.format = Json("layers-model");
    a.generatedBy = Json("TensorFlow.js v0.0.0");
    a.convertedBy = Json(nullptr);
    return a;
}

// artifacts1 of local_storage_test.ts: all metadata fields, some null.
inline ModelArtifacts artifactsWithMetadata()
{
    ModelArtifacts a = artifacts1();
    a.convertedBy = Json("1.13.1");
    a.signature = Json(nullptr);
    a.userDefinedMetadata = Json::object();
    a.modelInitializer = Json::object();
    a.initializerSignature = Json(nullptr);
    a.trainingConfig = json(kTrainingConfig1);
    return a;
}

// artifactsV0: topology, specs and data only.
inline ModelArtifacts artifactsV0()
{
    ModelArtifacts a;
    a.modelTopology = json(kTopology1);
    a.weightSpecs = specs(kSpecs1);
    a.weightData = tfjs::WeightData::fromBytes(QByteArray(16, '\0'));
    return a;
}

// A model of `tensors` float32 tensors of `elements` values each, seeded random bytes.
inline ModelArtifacts randomModel(int tensors, qint64 elements, quint32 seed)
{
    ModelArtifacts a;
    a.modelTopology = json(R"({"class_name":"Sequential","config":{"name":"random"}})");
    a.format = Json("layers-model");
    a.generatedBy = Json("store tests");
    a.convertedBy = Json(nullptr);
    std::vector<tfjs::WeightSpec> list;
    QByteArray bytes(qsizetype(tensors * elements * 4), Qt::Uninitialized);
    QRandomGenerator random(seed);
    for (qsizetype i = 0; i + 4 <= bytes.size(); i += 4) {
        // Finite floats only (validation reports NaN/Inf as notes, not errors, but keep clean).
        const float value = float(random.generateDouble() * 2 - 1);
        std::memcpy(bytes.data() + i, &value, 4);
    }
    for (int t = 0; t < tensors; ++t) {
        tfjs::WeightSpec spec;
        spec.name = "dense_" + std::to_string(t) + "/kernel";
        spec.shape = {elements};
        list.push_back(spec);
    }
    a.weightSpecs = list;
    a.weightData = tfjs::WeightData::fromBytes(bytes);
    return a;
}

inline QByteArray bytesOf(const tfjs::WeightData &data)
{
    auto all = data.readAll();
    return all ? *all : QByteArray("<unreadable: ") + all.error().message.toUtf8() + '>';
}

inline QByteArray text(const Json &value)
{
    return QByteArray::fromStdString(tfjs::stringify(value));
}

template <typename T>
QByteArray why(const tfjs::Result<T> &result)
{
    return result ? QByteArray() : result.error().toString().toUtf8();
}

// What the files in `folder` are, hidden ones too: name -> "inode:size:mtime" (a file replaced
// or changed gets another stamp; cheaper than hashing every model in the folder).
inline std::map<QString, QString> stampsIn(const QString &folder)
{
    std::map<QString, QString> stamps;
    const QDir dir(folder);
    for (const QString &name : dir.entryList(QDir::Files | QDir::Hidden | QDir::System)) {
        struct stat st{};
        if (::stat(QFile::encodeName(dir.filePath(name)).constData(), &st) == 0)
            stamps[name] = QStringLiteral("%1:%2:%3.%4")
                               .arg(st.st_ino)
                               .arg(st.st_size)
                               .arg(st.st_mtim.tv_sec)
                               .arg(st.st_mtim.tv_nsec);
    }
    return stamps;
}

// The name in a model's topology ("version A", "version B" in the crash tests' two versions).
inline QString topologyName(const ModelArtifacts &model)
{
    return model.modelTopology ? QString::fromStdString(model.modelTopology->value(
                                     Json::json_pointer("/config/name"), std::string()))
                               : QString();
}

// A model's topology name and the hash of its weights `bytes`, "version A <hash>": tells two
// versions, and any mix of them, apart.
inline QString versionOf(const ModelArtifacts &model, const QByteArray &bytes)
{
    return topologyName(model) + QLatin1Char(' ') + QString::fromLatin1(tfjs::Sha256::hash(bytes).toHex());
}

} // namespace storetest
