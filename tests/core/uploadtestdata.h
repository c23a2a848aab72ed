#pragma once
// What the upload tests share: the test model and its parts as TF.js uploads them, a model
// with large weights in a file, a multipart parser for what servers received, and the upload
// itself run as a Job.

#include "tst_http_fixtures.h"

#include "http/httpuploader.h"
#include "base/job.h"

#include <QFile>
#include <QTest>

#include <cstring>

namespace uploadtest {

using namespace tfjs;
using httptest::FaultServer;

struct FormPart
{
    QByteArray disposition;
    QByteArray contentType;
    QByteArray content;
};

// Splits a multipart/form-data body (RFC 7578) at `boundary`; empty on malformed input.
inline QList<FormPart> parseMultipart(const QByteArray &body, const QByteArray &boundary)
{
    QList<FormPart> parts;
    const QByteArray delimiter = "--" + boundary;
    if (!body.startsWith(QByteArray(delimiter + "\r\n"))
        || !body.endsWith(QByteArray(delimiter + "--\r\n")))
        return {};
    qsizetype at = delimiter.size() + 2;
    while (true) {
        const qsizetype headerEnd = body.indexOf("\r\n\r\n", at);
        const qsizetype next = body.indexOf(QByteArray("\r\n" + delimiter), at);
        if (headerEnd < 0 || next < 0 || headerEnd > next)
            return {};
        FormPart part;
        for (const QByteArray &line : body.mid(at, headerEnd - at).split('\n')) {
            const QByteArray trimmed = line.trimmed();
            if (trimmed.startsWith("Content-Disposition: "))
                part.disposition = trimmed.mid(21);
            else if (trimmed.startsWith("Content-Type: "))
                part.contentType = trimmed.mid(14);
        }
        part.content = body.mid(headerEnd + 4, next - headerEnd - 4);
        parts << part;
        at = next + 2 + delimiter.size();
        if (body.mid(at, 2) == "--")
            return parts;
        at += 2; // CRLF
    }
}

inline QByteArray boundaryOf(const QByteArray &contentType)
{
    const qsizetype at = contentType.indexOf("boundary=");
    return at < 0 ? QByteArray() : contentType.mid(at + 9);
}

inline QByteArray f32(std::initializer_list<float> values)
{
    QByteArray out(qsizetype(values.size() * 4), Qt::Uninitialized);
    std::memcpy(out.data(), values.begin(), values.size() * 4);
    return out;
}

inline const QByteArray kModelJson
    = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[]}},"format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,"weightsManifest":[{"paths":["group1-shard1of2.bin","group1-shard2of2.bin"],"weights":[{"name":"dense/kernel","shape":[3,1],"dtype":"float32"},{"name":"dense/bias","shape":[2],"dtype":"float32"}]}],"userDefinedMetadata":{"note":"ünï"}})";
// What TF.js's save puts in the model.json part for it (browser key order, one group).
inline const QByteArray kUploadedJson
    = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[]}},"format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,"weightsManifest":[{"paths":["./model.weights.bin"],"weights":[{"name":"dense/kernel","shape":[3,1],"dtype":"float32"},{"name":"dense/bias","shape":[2],"dtype":"float32"}]}],"userDefinedMetadata":{"note":"ünï"}})";
inline const QByteArray kWeights = f32({ 1, 3, 3, 7, 4 });

inline ModelArtifacts modelArtifacts(const QByteArray &json = kModelJson, WeightData data = {})
{
    auto parsed = parseJson(
        std::string_view(json.constData(), std::size_t(json.size())), QStringLiteral("test"));
    auto artifacts = artifactsFromModelJson(*parsed, QStringLiteral("test"));
    if (artifacts->weightSpecs) {
        if (data.isEmpty()) {
            data.appendBytes(kWeights.left(12), QStringLiteral("group1-shard1of2.bin"));
            data.appendBytes(kWeights.mid(12), QStringLiteral("group1-shard2of2.bin"));
        }
        artifacts->weightData = data;
    }
    return *artifacts;
}

inline QByteArray patterned(qsizetype size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qsizetype i = 0; i < size; ++i)
        bytes[i] = char(i % 251);
    return bytes;
}

// The test model with `bytes` of weights (a multiple of 4, at least 12) in one file under
// `dir`: `content` when given, else zeros (a sparse file).
inline ModelArtifacts largeModel(const QString &dir, qint64 bytes, const QByteArray &content = {})
{
    QFile file(dir + QStringLiteral("/w.bin"));
    if (!file.open(QIODevice::WriteOnly)
        || !(content.isEmpty() ? file.resize(bytes) : file.write(content) == bytes))
        return {};
    file.close();
    WeightData data;
    data.appendFile(file.fileName(), 0, 12, QStringLiteral("group1-shard1of2.bin"));
    data.appendFile(file.fileName(), 12, bytes - 12, QStringLiteral("group1-shard2of2.bin"));
    const QByteArray json
        = QByteArray(kModelJson)
              .replace(R"("shape":[2])",
                  QByteArray("\"shape\":[" + QByteArray::number((bytes - 12) / 4) + "]"));
    return modelArtifacts(json, data);
}

inline qint64 bodySizeOf(const ModelArtifacts &artifacts)
{
    return MultipartBody(MultipartBody::makeBoundary(), uploadParts(artifacts)).size();
}

inline Result<SaveResult> upload(const QString &url, const ModelArtifacts &artifacts,
    const HttpOptions &http = {}, int cancelAfterMs = -1, QList<Progress> *progress = nullptr)
{
    return httptest::runJob<SaveResult>(
        [&](JobContext &ctx) { return uploadModelOverHttp(url, artifacts, http, ctx); },
        cancelAfterMs, progress);
}

inline void answer(FaultServer &server, const QString &path, int status, const QByteArray &body,
    const QByteArray &type = "application/json")
{
    server.on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
        FaultServer::writeRaw(responder.socket(), status, type, body, body.size());
    });
}

} // namespace uploadtest
