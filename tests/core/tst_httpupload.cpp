// Uploads as TF.js's browserHTTPRequest save (spec §4.4; TF.js http_test.ts "http-save"):
// the multipart body built lazily from WeightData segments, its parts, POST and PUT with
// headers, error statuses, redirects, streaming from files, progress, cancellation, secrets.
#include "tst_http_fixtures.h"

#include "http/httpuploader.h"
#include "job.h"

#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace tfjs;
using httptest::FaultServer;

namespace {

struct FormPart
{
    QByteArray disposition;
    QByteArray contentType;
    QByteArray content;
};

// Splits a multipart/form-data body (RFC 7578) at `boundary`; empty on malformed input.
QList<FormPart> parseMultipart(const QByteArray &body, const QByteArray &boundary)
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

QByteArray boundaryOf(const QByteArray &contentType)
{
    const qsizetype at = contentType.indexOf("boundary=");
    return at < 0 ? QByteArray() : contentType.mid(at + 9);
}

QByteArray f32(std::initializer_list<float> values)
{
    QByteArray out(qsizetype(values.size() * 4), Qt::Uninitialized);
    std::memcpy(out.data(), values.begin(), values.size() * 4);
    return out;
}

const QByteArray kModelJson =
    R"({"modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[]}},"format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,"weightsManifest":[{"paths":["group1-shard1of2.bin","group1-shard2of2.bin"],"weights":[{"name":"dense/kernel","shape":[3,1],"dtype":"float32"},{"name":"dense/bias","shape":[2],"dtype":"float32"}]}],"userDefinedMetadata":{"note":"ünï"}})";
// What TF.js's save puts in the model.json part for it (browser key order, one group).
const QByteArray kUploadedJson =
    R"({"modelTopology":{"class_name":"Sequential","config":{"name":"m","layers":[]}},"format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,"weightsManifest":[{"paths":["./model.weights.bin"],"weights":[{"name":"dense/kernel","shape":[3,1],"dtype":"float32"},{"name":"dense/bias","shape":[2],"dtype":"float32"}]}],"userDefinedMetadata":{"note":"ünï"}})";
const QByteArray kWeights = f32({1, 3, 3, 7, 4});

ModelArtifacts modelArtifacts(const QByteArray &json = kModelJson, WeightData data = {})
{
    auto parsed = parseJson(std::string_view(json.constData(), std::size_t(json.size())), QStringLiteral("test"));
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

Result<SaveResult> upload(const QString &url, const ModelArtifacts &artifacts,
                          const HttpOptions &http = {}, int cancelAfterMs = -1,
                          QList<Progress> *progress = nullptr)
{
    return httptest::runJob<SaveResult>(
        [&](JobContext &ctx) { return uploadModelOverHttp(url, artifacts, http, ctx); },
        cancelAfterMs, progress);
}

void answer(FaultServer &server, const QString &path, int status, const QByteArray &body,
            const QByteArray &type = "application/json")
{
    server.on(path, [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
        FaultServer::writeRaw(responder.socket(), status, type, body, body.size());
    });
}

QByteArray readInChunks(QIODevice &device, qint64 chunk)
{
    QByteArray out;
    QByteArray buffer(chunk, Qt::Uninitialized);
    while (true) {
        const qint64 n = device.read(buffer.data(), chunk);
        if (n <= 0)
            break;
        out.append(buffer.constData(), n);
    }
    return out;
}

} // namespace

class TestHttpUpload : public QObject
{
    Q_OBJECT

private slots:
    void bodyLayout();
    void bodyReadsInChunksAndSeeks_data();
    void bodyReadsInChunksAndSeeks();
    void bodyReportsUnreadableFile();
    void partsAreTfjsParts();
    void topologyOnlyHasOnePart();
    void postsMultipart();
    void putWithHeaders();
    void errorStatus_data();
    void errorStatus();
    void redirect307ResendsBody();
    void redirect303BecomesGet();
    void streamsFromFiles();
    void missingWeightFileFailsBeforeConnecting();
    void progressInBytes();
    void cancelWhileWaiting();
    void secretsNeverInMessages();
    void refusesBodylessMethod();
    void responseFramings_data();
    void responseFramings();
    void answerBeforeTheBodyIsSent_data();
    void answerBeforeTheBodyIsSent();
    void tlsErrorsFatalUnlessHostAllowed();
    void qtBackendSendsTheSameParts_data();
    void qtBackendSendsTheSameParts();
};

void TestHttpUpload::bodyLayout()
{
    std::vector<MultipartBody::Part> parts = {
        {"model.json", "model.json", "application/json", WeightData::fromBytes("{}")},
        {"model.weights.bin", "model.weights.bin", "application/octet-stream",
         WeightData::fromBytes(QByteArray("\x00\x01\x02", 3))}};
    MultipartBody body("XyZ", parts);
    const QByteArray expected =
        "--XyZ\r\nContent-Disposition: form-data; name=\"model.json\"; filename=\"model.json\"\r\n"
        "Content-Type: application/json\r\n\r\n{}\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"model.weights.bin\"; "
        "filename=\"model.weights.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        + QByteArray("\x00\x01\x02", 3) + "\r\n--XyZ--\r\n";
    QCOMPARE(body.size(), qint64(expected.size()));
    QCOMPARE(body.readAll(), expected);
    QCOMPARE(body.contentType(), QByteArray("multipart/form-data; boundary=XyZ"));
    QVERIFY(!body.isSequential());

    const QByteArray boundary = MultipartBody::makeBoundary();
    QVERIFY(boundary.startsWith("----tfjsFormBoundary"));
    QCOMPARE(boundary.size(), 20 + 24);
    QVERIFY(boundary != MultipartBody::makeBoundary());
}

void TestHttpUpload::bodyReadsInChunksAndSeeks_data()
{
    QTest::addColumn<qint64>("chunk");
    for (qint64 chunk : {1, 3, 7, 64, 4096, 1 << 20})
        QTest::newRow(qPrintable(QStringLiteral("chunk %1").arg(chunk))) << chunk;
}

void TestHttpUpload::bodyReadsInChunksAndSeeks()
{
    QFETCH(qint64, chunk);
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("shard.bin")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray fileBytes;
    for (int i = 0; i < 5000; ++i)
        fileBytes += char(i * 7);
    file.write(fileBytes);
    file.close();

    WeightData data;
    data.appendBytes("head-bytes", QStringLiteral("a"));
    data.appendFile(file.fileName(), 100, 3000, QStringLiteral("b"));  // a slice of the file
    data.appendBytes({}, QStringLiteral("empty"));
    data.appendFile(file.fileName(), 0, 5000, QStringLiteral("c"));
    const QByteArray weights = "head-bytes" + fileBytes.mid(100, 3000) + fileBytes;

    MultipartBody body("b0undary", {{"model.weights.bin", "model.weights.bin",
                                     "application/octet-stream", data}});
    const QByteArray prefix = "--b0undary\r\nContent-Disposition: form-data; "
                              "name=\"model.weights.bin\"; filename=\"model.weights.bin\"\r\n"
                              "Content-Type: application/octet-stream\r\n\r\n";
    const QByteArray expected = prefix + weights + "\r\n--b0undary--\r\n";
    QCOMPARE(body.size(), qint64(expected.size()));
    QCOMPARE(readInChunks(body, chunk), expected);
    for (qint64 at : {qint64(0), qint64(5), qint64(prefix.size() + 9), qint64(prefix.size() + 10),
                      qint64(prefix.size() + 3009), body.size() - 3, body.size()}) {
        QVERIFY(body.seek(at));
        QCOMPARE(readInChunks(body, chunk), expected.mid(at));
    }
    QVERIFY(!body.seek(body.size() + 1));
    QVERIFY(!body.readError());
}

void TestHttpUpload::bodyReportsUnreadableFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gone.bin"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(10, 'x'));
    file.close();
    WeightData data;
    data.appendFile(path, 0, 100, QStringLiteral("gone.bin")); // 90 bytes more than the file has
    MultipartBody body("B", {{"w", "w", "application/octet-stream", data}});
    const QByteArray got = readInChunks(body, 4096);
    QVERIFY(got.size() < body.size());
    QVERIFY(body.readError().has_value());
    QCOMPARE(body.readError()->code, ErrorCode::Io);
    QCOMPARE(body.readError()->message,
             QStringLiteral("Cannot read weight file '%1': the file ends before byte 100").arg(path));
    QCOMPARE(body.readError()->shard, QStringLiteral("gone.bin"));
}

void TestHttpUpload::partsAreTfjsParts()
{
    const auto parts = uploadParts(modelArtifacts());
    QCOMPARE(int(parts.size()), 2);
    QCOMPARE(parts[0].name, QByteArray("model.json"));
    QCOMPARE(parts[0].filename, QByteArray("model.json"));
    QCOMPARE(parts[0].contentType, QByteArray("application/json"));
    QCOMPARE(*parts[0].content.readAll(), kUploadedJson);
    QCOMPARE(parts[1].name, QByteArray("model.weights.bin"));
    QCOMPARE(parts[1].filename, QByteArray("model.weights.bin"));
    QCOMPARE(parts[1].contentType, QByteArray("application/octet-stream"));
    QCOMPARE(*parts[1].content.readAll(), kWeights);
}

void TestHttpUpload::topologyOnlyHasOnePart()
{
    const QByteArray json = R"({"modelTopology":{"a":1},"format":"layers-model"})";
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 200, "{}");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(json));
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(server.requests.size(), 1);
    const auto parts = parseMultipart(server.requests[0].body,
                                      boundaryOf(server.requests[0].header("Content-Type")));
    QCOMPARE(parts.size(), 1);
    // TF.js: weightsManifest [{paths, weights: undefined}] -> no "weights" key.
    QCOMPARE(parts[0].content,
             QByteArray(R"({"modelTopology":{"a":1},"format":"layers-model","weightsManifest":[{"paths":["./model.weights.bin"]}]})"));
    QCOMPARE(saved->modelArtifactsInfo.weightDataBytes, qint64(0));
    QCOMPARE(saved->modelArtifactsInfo.weightSpecsBytes, qint64(0));
    QCOMPARE(saved->modelArtifactsInfo.modelTopologyBytes, qint64(7));
}

void TestHttpUpload::postsMultipart()
{
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 201, R"({"id":"m1"})");
    const ModelArtifacts artifacts = modelArtifacts();
    auto saved = upload(server.url(QStringLiteral("/upload")), artifacts);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, 201);
    QCOMPARE(saved->responseBody, QByteArray(R"({"id":"m1"})"));
    QCOMPARE(saved->files, QStringList{server.url(QStringLiteral("/upload"))});
    QCOMPARE(saved->modelArtifactsInfo.weightDataBytes, qint64(20));
    QCOMPARE(saved->modelArtifactsInfo.weightSpecsBytes, artifactsInfo(artifacts).weightSpecsBytes);

    QCOMPARE(server.requests.size(), 1);
    const httptest::LoggedRequest &request = server.requests[0];
    QCOMPARE(request.method, QByteArray("POST"));
    const QByteArray contentType = request.header("Content-Type");
    QVERIFY2(contentType.startsWith("multipart/form-data; boundary=----tfjsFormBoundary"), contentType);
    QCOMPARE(request.header("Content-Length").toLongLong(), qint64(request.body.size()));
    const auto parts = parseMultipart(request.body, boundaryOf(contentType));
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[0].disposition, QByteArray(R"(form-data; name="model.json"; filename="model.json")"));
    QCOMPARE(parts[0].contentType, QByteArray("application/json"));
    QCOMPARE(parts[0].content, kUploadedJson);
    QCOMPARE(parts[1].disposition,
             QByteArray(R"(form-data; name="model.weights.bin"; filename="model.weights.bin")"));
    QCOMPARE(parts[1].contentType, QByteArray("application/octet-stream"));
    QCOMPARE(parts[1].content, kWeights);
}

void TestHttpUpload::putWithHeaders()
{
    FaultServer server;
    answer(server, QStringLiteral("/models/m"), 200, "stored", "text/plain");
    HttpOptions http;
    http.uploadMethod = "PUT";
    http.headers = {{"header_key_1", "header_value_1"},
                    {"Authorization", "Bearer put-token"},
                    {"Content-Type", "text/plain"}}; // ignored: the boundary must match
    auto saved = upload(server.url(QStringLiteral("/models/m")), modelArtifacts(), http);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->responseBody, QByteArray("stored"));
    QCOMPARE(server.requests.size(), 1);
    const httptest::LoggedRequest &request = server.requests[0];
    QCOMPARE(request.method, QByteArray("PUT"));
    QCOMPARE(request.header("header_key_1"), QByteArray("header_value_1"));
    QCOMPARE(request.header("Authorization"), QByteArray("Bearer put-token"));
    QVERIFY(request.header("Content-Type").startsWith("multipart/form-data; boundary="));
    QCOMPARE(parseMultipart(request.body, boundaryOf(request.header("Content-Type"))).size(), 2);
}

void TestHttpUpload::errorStatus_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("detail");
    QTest::newRow("404") << 404 << QByteArray() << QStringLiteral(" (Not Found)") << QString();
    QTest::newRow("401") << 401 << QByteArray("{\"error\":\"login\"}")
                         << QStringLiteral(" (Unauthorized)")
                         << QStringLiteral("Response body: {\"error\":\"login\"}");
    QTest::newRow("500") << 500 << QByteArray("Traceback (most recent call last):\n  boom")
                         << QStringLiteral(" (Internal Server Error)")
                         << QStringLiteral("Response body: Traceback (most recent call last): boom");
}

void TestHttpUpload::errorStatus()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(QString, message);
    QFETCH(QString, detail);
    FaultServer server;
    answer(server, QStringLiteral("/upload"), status, body, "text/plain");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts());
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Http);
    QCOMPARE(saved.error().message,
             QStringLiteral("Saving to %1 failed due to HTTP response status %2%3.")
                 .arg(server.url(QStringLiteral("/upload")))
                 .arg(status)
                 .arg(message));
    QCOMPARE(saved.error().status, status);
    QCOMPARE(saved.error().url, server.url(QStringLiteral("/upload")));
    QCOMPARE(saved.error().detail, detail);
}

void TestHttpUpload::redirect307ResendsBody()
{
    FaultServer server;
    server.redirect(QStringLiteral("/upload"), "/v2/upload", 307);
    answer(server, QStringLiteral("/v2/upload"), 200, "ok");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(server.requests.size(), 2);
    const httptest::LoggedRequest &second = server.requests[1];
    QCOMPARE(second.method, QByteArray("POST"));
    QCOMPARE(second.path, QStringLiteral("/v2/upload"));
    const auto parts = parseMultipart(second.body, boundaryOf(second.header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[1].content, kWeights);
    QCOMPARE(second.body, server.requests[0].body);
}

void TestHttpUpload::redirect303BecomesGet()
{
    FaultServer server;
    server.redirect(QStringLiteral("/upload"), "/done", 303);
    answer(server, QStringLiteral("/done"), 200, "saved, see /models/1", "text/plain");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->responseBody, QByteArray("saved, see /models/1"));
    QCOMPARE(server.requests.size(), 2);
    QCOMPARE(server.requests[1].method, QByteArray("GET"));
    QVERIFY(server.requests[1].body.isEmpty());
}

void TestHttpUpload::streamsFromFiles()
{
    QTemporaryDir dir;
    QByteArray all;
    WeightData data;
    for (int shard = 0; shard < 3; ++shard) {
        QByteArray bytes(300'001 + shard, Qt::Uninitialized);
        for (qsizetype i = 0; i < bytes.size(); ++i)
            bytes[i] = char((i * 31 + shard) & 0xff);
        const QString path = dir.filePath(QStringLiteral("s%1.bin").arg(shard));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(bytes);
        file.close();
        data.appendFile(path, 0, bytes.size(), QStringLiteral("s%1.bin").arg(shard));
        all += bytes;
    }
    const QByteArray json =
        R"({"modelTopology":{},"weightsManifest":[{"paths":["a"],"weights":[{"name":"w","shape":[)"
        + QByteArray::number(all.size()) + R"(],"dtype":"bool"}]}]})";
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 200, "{}");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(json, data));
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    const auto parts = parseMultipart(server.requests[0].body,
                                      boundaryOf(server.requests[0].header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QVERIFY(parts[1].content == all);
}

void TestHttpUpload::missingWeightFileFailsBeforeConnecting()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("missing.bin"));
    WeightData data;
    data.appendFile(path, 0, 20, QStringLiteral("missing.bin"));
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 200, "{}");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(kModelJson, data));
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Io);
    QCOMPARE(saved.error().message,
             QStringLiteral("Cannot read weight file '%1': it does not exist").arg(path));
    QCOMPARE(saved.error().shard, QStringLiteral("missing.bin"));
    QVERIFY(server.requests.isEmpty());
}

void TestHttpUpload::progressInBytes()
{
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 200, "{}");
    QList<Progress> progress;
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(), {}, -1, &progress);
    QVERIFY(saved);
    QVERIFY(!progress.isEmpty());
    const Progress last = progress.last();
    QCOMPARE(last.stage, QStringLiteral("Uploading to 127.0.0.1"));
    QCOMPARE(last.bytesTotal, qint64(server.requests[0].body.size()));
    QCOMPARE(last.bytesDone, last.bytesTotal);
}

void TestHttpUpload::cancelWhileWaiting()
{
    FaultServer server;
    server.on(QStringLiteral("/upload"), [](const QHttpServerRequest &, QHttpServerResponder &) {
        // never answers
    });
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(), {}, 300);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Cancelled);
}

void TestHttpUpload::secretsNeverInMessages()
{
    FaultServer server;
    server.on(QStringLiteral("/upload"), [](const QHttpServerRequest &request, QHttpServerResponder &responder) {
        const QByteArray body = "bad key " + request.value("X-Api-Key");
        FaultServer::writeRaw(responder.socket(), 403, "text/plain", body, body.size());
    });
    HttpOptions http;
    http.headers = {{"X-Api-Key", "AKIA-very-secret"}};
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(), http);
    QVERIFY(!saved);
    QCOMPARE(saved.error().detail, QStringLiteral("Response body: bad key ***"));
    QVERIFY(!saved.error().toString().contains(QStringLiteral("AKIA")));
}

void TestHttpUpload::refusesBodylessMethod()
{
    HttpOptions http;
    http.uploadMethod = "GET";
    auto saved = upload(QStringLiteral("http://127.0.0.1:9/upload"), modelArtifacts(), http);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::InvalidArgument);
    QCOMPARE(saved.error().message,
             QStringLiteral("Cannot upload with method 'GET': a request body needs a method such "
                            "as POST or PUT."));
}

// The answer's framing as servers write it: chunked (also beside a Content-Length), up to the
// close (no Content-Length), after an interim 100 Continue, none (204), LF line ends.
void TestHttpUpload::responseFramings_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("close");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("chunked") << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "3;ext=1\r\n{\"a\r\n5\r\n\":42}\r\n0\r\nX-Trailer: t\r\n\r\n")
                             << false << 200 << QByteArray(R"({"a":42})");
    QTest::newRow("until close") << QByteArray("HTTP/1.0 201 Created\r\nContent-Type: text/plain\r\n\r\n"
                                               "stored as m7")
                                 << true << 201 << QByteArray("stored as m7");
    QTest::newRow("100 Continue first") << QByteArray("HTTP/1.1 100 Continue\r\n\r\n"
                                                      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                                        << false << 200 << QByteArray("ok");
    QTest::newRow("204") << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << false << 204
                         << QByteArray();
    QTest::newRow("chunked wins over Content-Length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nok\r\n0\r\n\r\n")
        << false << 200 << QByteArray("ok");
    QTest::newRow("LF line ends") << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nok") << false
                                  << 200 << QByteArray("ok");
    QTest::newRow("Content-Length twice") << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n"
                                                        "Content-Length: 2\r\n\r\nok")
                                          << false << 200 << QByteArray("ok");
}

void TestHttpUpload::responseFramings()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, close);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    FaultServer server;
    server.on(QStringLiteral("/upload"), [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
        responder.socket()->write(raw);
        if (close)
            responder.socket()->disconnectFromHost();
    });
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, status);
    QCOMPARE(saved->responseBody, body);
    QCOMPARE(server.requests.size(), 1);
    QCOMPARE(server.requests[0].header("Connection"), QByteArray("close"));
}

// A server that answers right after the request head, before the 8 MiB body: a 413 is the
// result and the upload stops; a 200 still gets the whole body first (RFC 9112 9.5), then
// counts. (The server drains what comes, as servers do before closing: closing with unread
// bytes sends a reset that may destroy its own answer.)
void TestHttpUpload::answerBeforeTheBodyIsSent_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("413") << 413;
    QTest::newRow("200") << 200;
}

void TestHttpUpload::answerBeforeTheBodyIsSent()
{
    QFETCH(int, status);
    QTcpServer raw;
    QVERIFY(raw.listen(QHostAddress::LocalHost));
    auto drained = std::make_shared<qint64>(0);
    QObject::connect(&raw, &QTcpServer::newConnection, &raw, [&raw, status, drained] {
        QTcpSocket *socket = raw.nextPendingConnection();
        auto head = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket, head, status, drained] {
            if (head->contains("\r\n\r\n")) {
                *drained += socket->readAll().size();
                return;
            }
            head->append(socket->read(64 << 10));
            const qsizetype end = head->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            *drained += head->size() - end - 4;
            const QByteArray body = status == 413 ? "too large" : "{\"ok\":1}";
            socket->write("HTTP/1.1 " + QByteArray::number(status) + " "
                          + FaultServer::reason(status) + "\r\nContent-Length: "
                          + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n"
                          + body);
        });
    });
    QTemporaryDir dir;
    QFile weights(dir.filePath(QStringLiteral("w.bin")));
    QVERIFY(weights.open(QIODevice::WriteOnly));
    QVERIFY(weights.resize(8 << 20));
    weights.close();
    WeightData data;
    data.appendFile(weights.fileName(), 0, 12, QStringLiteral("group1-shard1of2.bin"));
    data.appendFile(weights.fileName(), 12, (8 << 20) - 12, QStringLiteral("group1-shard2of2.bin"));
    const QByteArray json = QByteArray(kModelJson).replace(R"("shape":[2])", R"("shape":[2097149])");
    const QString url = QStringLiteral("http://127.0.0.1:%1/upload").arg(raw.serverPort());
    const ModelArtifacts artifacts = modelArtifacts(json, data);
    auto saved = upload(url, artifacts);
    if (status == 413) {
        QVERIFY(!saved);
        QVERIFY2(saved.error().code == ErrorCode::Http, qPrintable(saved.error().toString()));
        QCOMPARE(saved.error().status, 413);
        QCOMPARE(saved.error().detail, QStringLiteral("Response body: too large"));
        return;
    }
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, 200);
    QCOMPARE(saved->responseBody, QByteArray("{\"ok\":1}"));
    const qint64 bodySize = MultipartBody(MultipartBody::makeBoundary(), uploadParts(artifacts)).size();
    QTRY_COMPARE(*drained, bodySize);
}

void TestHttpUpload::tlsErrorsFatalUnlessHostAllowed()
{
    const httptest::TestCertificate tls = httptest::makeTestCertificate();
    if (tls.isNull())
        QFAIL("no openssl to make a test certificate: the test command installs it");
    FaultServer server(tls.certificate, tls.key);
    answer(server, QStringLiteral("/upload"), 200, R"({"ok":true})");
    const QString url = server.url(QStringLiteral("/upload"));
    QVERIFY(url.startsWith(QStringLiteral("https://")));
    auto refused = upload(url, modelArtifacts());
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Network);
    QVERIFY2(refused.error().message.startsWith(
                 QStringLiteral("Request for the model upload at %1 failed: the TLS handshake failed (")
                     .arg(url)),
             qPrintable(refused.error().message));
    QCOMPARE(server.requests.size(), 0);

    HttpOptions http;
    http.insecureHosts = {QStringLiteral("127.0.0.1")};
    auto saved = upload(url, modelArtifacts(), http);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->responseBody, QByteArray(R"({"ok":true})"));
    QCOMPARE(server.requests.size(), 1);
    const auto parts = parseMultipart(server.requests[0].body,
                                      boundaryOf(server.requests[0].header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[1].content, kWeights);

    // 12 MiB over TLS: every byte arrives and progress ends at the body's size.
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("w.bin")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QByteArray big(12 << 20, Qt::Uninitialized);
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i % 253);
    QVERIFY(file.write(big) == big.size());
    file.close();
    WeightData data;
    data.appendFile(file.fileName(), 0, 12, QStringLiteral("group1-shard1of2.bin"));
    data.appendFile(file.fileName(), 12, big.size() - 12, QStringLiteral("group1-shard2of2.bin"));
    const QByteArray json = QByteArray(kModelJson).replace(R"("shape":[2])", R"("shape":[3145725])");
    QList<Progress> progress;
    auto large = upload(url, modelArtifacts(json, data), http, -1, &progress);
    QVERIFY2(large, qPrintable(large ? QString() : large.error().toString()));
    QCOMPARE(server.requests.size(), 2);
    const auto bigParts = parseMultipart(server.requests[1].body,
                                         boundaryOf(server.requests[1].header("Content-Type")));
    QCOMPARE(bigParts.size(), 2);
    QVERIFY(bigParts[1].content == big);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().bytesDone, qint64(server.requests[1].body.size()));
}

// --qt-upload: Qt's own HTTP backend sends the same parts (it keeps the connection alive,
// UploadReply closes it, which tells them apart).
void TestHttpUpload::qtBackendSendsTheSameParts_data()
{
    QTest::addColumn<bool>("qtUploads");
    QTest::addColumn<QByteArray>("connection");
    QTest::newRow("UploadReply") << false << QByteArray("close");
    QTest::newRow("Qt's backend") << true << QByteArray("Keep-Alive");
}

void TestHttpUpload::qtBackendSendsTheSameParts()
{
    QFETCH(bool, qtUploads);
    QFETCH(QByteArray, connection);
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 201, R"({"id":"m1"})");
    HttpOptions http;
    http.qtUploads = qtUploads;
    http.uploadMethod = "PUT";
    QList<Progress> progress;
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts(), http, -1, &progress);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, 201);
    QCOMPARE(saved->responseBody, QByteArray(R"({"id":"m1"})"));
    QCOMPARE(server.requests.size(), 1);
    const httptest::LoggedRequest &request = server.requests[0];
    QCOMPARE(request.method, QByteArray("PUT"));
    QCOMPARE(request.header("Connection"), connection);
    const auto parts = parseMultipart(request.body, boundaryOf(request.header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[0].content, kUploadedJson);
    QCOMPARE(parts[1].content, kWeights);
    QCOMPARE(progress.last().bytesDone, qint64(request.body.size()));
}

QTEST_GUILESS_MAIN(TestHttpUpload)
#include "tst_httpupload.moc"
