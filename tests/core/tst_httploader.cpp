// http(s):// loading against a QHttpServer on 127.0.0.1: the cases of TF.js's http_test.ts
// "http-load" (1-2 groups and paths, headers on every request, int32/bool data, topology only,
// weights only), TF.js's shard URLs (query strings, weightPathPrefix), info without weight
// bytes, and the faults TF.js does not check (status codes, HTML, sizes, resets, stalls,
// redirects, cancellation).
#include "tst_http_fixtures.h"

#include "format/codec.h"
#include "http/httploader.h"
#include "base/job.h"
#include "format/modeloverview.h"
#include "io/spoolfile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTest>

#include <cstring>

using namespace tfjs;
using httptest::FaultServer;

using Setup = std::function<void(FaultServer &)>;
using Headers = QList<QPair<QByteArray, QByteArray>>;
using Files = QMap<QString, QByteArray>;
Q_DECLARE_METATYPE(Setup)
Q_DECLARE_METATYPE(tfjs::ErrorCode)
Q_DECLARE_METATYPE(tfjs::HttpOptions)

namespace {

QByteArray f32(std::initializer_list<float> values)
{
    QByteArray out(qsizetype(values.size() * 4), Qt::Uninitialized);
    std::memcpy(out.data(), values.begin(), values.size() * 4);
    return out;
}
QByteArray i32(std::initializer_list<std::int32_t> values)
{
    QByteArray out(qsizetype(values.size() * 4), Qt::Uninitialized);
    std::memcpy(out.data(), values.begin(), values.size() * 4);
    return out;
}

// TF.js http_test.ts: modelTopology1 (trimmed) and the two Dense weights.
const QByteArray kTopology =
    R"({"class_name":"Sequential","keras_version":"2.1.4","config":[{"class_name":"Dense","config":{"name":"dense","units":1,"batch_input_shape":[null,3],"use_bias":true}}],"backend":"tensorflow"})";
const QByteArray kKernel = R"({"name":"dense/kernel","shape":[3,1],"dtype":"float32"})";
const QByteArray kBias = R"({"name":"dense/bias","shape":[2],"dtype":"float32"})";
const QByteArray kData = f32({1, 3, 3, 7, 4});

QByteArray modelJson(const QByteArray &manifest)
{
    return R"({"modelTopology":)" + kTopology + R"(,"weightsManifest":)" + manifest + "}";
}

// A model JSON + weightfile0 (all 20 bytes) on `server`.
// The model serveModel() serves: one shard, weightfile0, holding kData.
QByteArray oneShardModelJson()
{
    return modelJson("[{\"paths\":[\"weightfile0\"],\"weights\":[" + kKernel + "," + kBias + "]}]");
}

void serveModel(FaultServer &server, const QString &dir = QStringLiteral(""))
{
    server.serve(dir + QStringLiteral("/model.json"), oneShardModelJson(), "application/json");
    server.serve(dir + QStringLiteral("/weightfile0"), kData);
}

Result<ModelArtifacts> load(const QString &url, const HttpOptions &http = {},
                            LoadOptions options = {}, int cancelAfterMs = -1,
                            QList<Progress> *progress = nullptr)
{
    return httptest::runJob<ModelArtifacts>(
        [&](JobContext &ctx) { return loadModelOverHttp(url, http, ctx, options); },
        cancelAfterMs, progress);
}

QByteArray bytesOf(const ModelArtifacts &artifacts)
{
    auto all = artifacts.weightData.readAll();
    return all ? *all : QByteArray("(unreadable)");
}

QString expand(QString text, const FaultServer &server)
{
    return text.replace(QStringLiteral("{base}"), server.url({}));
}

} // namespace

class TestHttpLoader : public QObject
{
    Q_OBJECT

private slots:
    void loads_data();
    void loads();
    void decodesLikeTfjs();
    void infoUsesHeadRequestsOnly();
    void infoWithoutHeadSupport();
    void progressCountsBytesAndShards();
    void errors_data();
    void errors();
    void connectionRefused();
    void connectTimeout();
    void sameOriginRedirectKeepsHeaders();
    void crossOriginRedirectDropsSecretHeaders();
    void authHeaderChecked();
    void secretsNeverInMessages();
    void cancelAbortsTransfers();
    void modelJsonOverTheLimit();
    void hugeResponseHeadRefused();
    void cancelAtEveryStage_data();
    void cancelAtEveryStage();
    void slowButSteadyTransferSucceeds();
    void tricklingTransferFails();
    void tlsErrorsFatalUnlessHostAllowed();
    void shardsArrivingOutOfOrderLandInOrder();
    void weightsAreSpooledWithoutNames();
    void spoolFolderMissingFallsBack();
    void largeEarlyShardEndsUpInPlace();
    void middleShardFaults_data();
    void middleShardFaults();
};

void TestHttpLoader::loads_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<Files>("files");
    QTest::addColumn<QString>("modelPath");     // path + query of the model JSON
    QTest::addColumn<Headers>("headers");
    QTest::addColumn<QString>("prefixPath");    // weightPathPrefix on the same server, or ""
    QTest::addColumn<QStringList>("shardTargets"); // what the server must see, in order
    QTest::addColumn<QByteArray>("weights");
    QTest::addColumn<bool>("hasTopology");

    const QByteArray oneGroupOnePath = oneShardModelJson();
    QTest::newRow("1 group, 2 weights, 1 path")
        << oneGroupOnePath << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), kData}}
        << QStringLiteral("/model.json") << Headers{} << QString()
        << QStringList{QStringLiteral("/weightfile0")} << kData << true;
    QTest::newRow("1 group, 1 path, with request headers")
        << oneGroupOnePath << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), kData}}
        << QStringLiteral("/model.json")
        << Headers{{"header_key_1", "header_value_1"}, {"Authorization", "Bearer abcd1234"}}
        << QString() << QStringList{QStringLiteral("/weightfile0")} << kData << true;
    QTest::newRow("1 group, 2 weights, 2 paths")
        << modelJson("[{\"paths\":[\"weightfile0\",\"weightfile1\"],\"weights\":[" + kKernel + ","
                     + kBias + "]}]")
        << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), f32({1, 3, 3})},
                                     {QStringLiteral("/weightfile1"), f32({7, 4})}}
        << QStringLiteral("/model.json") << Headers{} << QString()
        << QStringList{QStringLiteral("/weightfile0"), QStringLiteral("/weightfile1")} << kData
        << true;
    QTest::newRow("2 groups, 2 weights, 2 paths")
        << modelJson("[{\"paths\":[\"weightfile0\"],\"weights\":[" + kKernel
                     + "]},{\"paths\":[\"weightfile1\"],\"weights\":[" + kBias + "]}]")
        << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), f32({1, 3, 3})},
                                     {QStringLiteral("/weightfile1"), f32({7, 4})}}
        << QStringLiteral("/model.json") << Headers{{"X-Request-Id", "7"}} << QString()
        << QStringList{QStringLiteral("/weightfile0"), QStringLiteral("/weightfile1")} << kData
        << true;
    QTest::newRow("2 groups, int32 and bool data")
        << modelJson(R"([{"paths":["weightfile0"],"weights":[{"name":"dense/kernel","shape":[3,1],"dtype":"int32"}]},)"
                     R"({"paths":["weightfile1"],"weights":[{"name":"dense/bias","shape":[2],"dtype":"bool"}]}])")
        << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), i32({1, 3, 3})},
                                     {QStringLiteral("/weightfile1"), QByteArray("\x01\x00", 2)}}
        << QStringLiteral("/model.json") << Headers{} << QString()
        << QStringList{QStringLiteral("/weightfile0"), QStringLiteral("/weightfile1")}
        << i32({1, 3, 3}) + QByteArray("\x01\x00", 2) << true;
    QTest::newRow("query string carried to every shard (TF Hub)")
        << modelJson("[{\"paths\":[\"weightfile0\",\"weightfile1\"],\"weights\":[" + kKernel + ","
                     + kBias + "]}]")
        << QMap<QString, QByteArray>{{QStringLiteral("/hub/weightfile0"), f32({1, 3, 3})},
                                     {QStringLiteral("/hub/weightfile1"), f32({7, 4})}}
        << QStringLiteral("/hub/model.json?tfjs-format=file&v=2") << Headers{} << QString()
        << QStringList{QStringLiteral("/hub/weightfile0?tfjs-format=file&v=2"),
                       QStringLiteral("/hub/weightfile1?tfjs-format=file&v=2")}
        << kData << true;
    QTest::newRow("weightPathPrefix replaces the folder, query kept")
        << oneGroupOnePath << QMap<QString, QByteArray>{{QStringLiteral("/cdn/v1/weightfile0"), kData}}
        << QStringLiteral("/models/model.json?token=abc") << Headers{}
        << QStringLiteral("/cdn/v1/") << QStringList{QStringLiteral("/cdn/v1/weightfile0?token=abc")}
        << kData << true;
    QTest::newRow("weightPathPrefix is plain concatenation")
        << oneGroupOnePath << QMap<QString, QByteArray>{{QStringLiteral("/cdn/v1-weightfile0"), kData}}
        << QStringLiteral("/model.json") << Headers{} << QStringLiteral("/cdn/v1-")
        << QStringList{QStringLiteral("/cdn/v1-weightfile0")} << kData << true;
    QTest::newRow("./ and ../ in manifest paths")
        << modelJson("[{\"paths\":[\"./weightfile0\",\"../shared/weightfile1\"],\"weights\":["
                     + kKernel + "," + kBias + "]}]")
        << QMap<QString, QByteArray>{{QStringLiteral("/a/b/weightfile0"), f32({1, 3, 3})},
                                     {QStringLiteral("/a/shared/weightfile1"), f32({7, 4})}}
        << QStringLiteral("/a/b/model.json") << Headers{} << QString()
        << QStringList{QStringLiteral("/a/b/weightfile0"), QStringLiteral("/a/shared/weightfile1")}
        << kData << true;
    QTest::newRow("topology only") << QByteArray(R"({"modelTopology":)" + kTopology + "}")
                                   << QMap<QString, QByteArray>{} << QStringLiteral("/model.json")
                                   << Headers{{"header_key_1", "header_value_1"}} << QString()
                                   << QStringList{} << QByteArray() << true;
    QTest::newRow("weights only")
        << QByteArray("{\"weightsManifest\":[{\"paths\":[\"weightfile0\"],\"weights\":[" + kKernel
                      + "," + kBias + "]}]}")
        << QMap<QString, QByteArray>{{QStringLiteral("/weightfile0"), kData}}
        << QStringLiteral("/model.json") << Headers{} << QString()
        << QStringList{QStringLiteral("/weightfile0")} << kData << false;
}

void TestHttpLoader::loads()
{
    QFETCH(QByteArray, json);
    QFETCH(Files, files);
    QFETCH(QString, modelPath);
    QFETCH(Headers, headers);
    QFETCH(QString, prefixPath);
    QFETCH(QStringList, shardTargets);
    QFETCH(QByteArray, weights);
    QFETCH(bool, hasTopology);

    FaultServer server;
    const QString jsonPath = QUrl(server.url(modelPath)).path();
    server.serve(jsonPath, json, "application/json");
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        server.serve(it.key(), it.value());
    HttpOptions http;
    for (const auto &[name, value] : headers)
        http.headers.push_back({name, value});
    if (!prefixPath.isEmpty())
        http.weightPathPrefix = server.url(prefixPath);

    auto artifacts = load(server.url(modelPath), http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(artifacts->hasTopology(), hasTopology);
    if (hasTopology)
        QCOMPARE(QByteArray::fromStdString(stringify(*artifacts->modelTopology)), kTopology);
    QCOMPARE(bytesOf(*artifacts), weights);

    // The JSON first, then every shard once (a few at a time: compare as sets).
    QVERIFY(!server.requests.isEmpty());
    QCOMPARE(server.requests.first().target(), modelPath);
    QStringList seen = server.targets().mid(1);
    seen.sort();
    QStringList expected = shardTargets;
    expected.sort();
    QCOMPARE(seen, expected);
    for (const httptest::LoggedRequest &request : std::as_const(server.requests)) {
        QCOMPARE(request.method, QByteArray("GET"));
        for (const auto &[name, value] : headers)
            QCOMPARE(request.header(name), value);
    }
    // Segments are the shards in manifest order, labelled with their manifest paths.
    if (!shardTargets.isEmpty()) {
        QCOMPARE(int(artifacts->weightData.segments().size()), int(shardTargets.size()));
        QCOMPARE(artifacts->manifest->front().paths.front(),
                 artifacts->weightData.segments().front().label.toStdString());
    }
}

void TestHttpLoader::decodesLikeTfjs()
{
    FaultServer server;
    serveModel(server);
    auto artifacts = load(server.url(QStringLiteral("/model.json")));
    QVERIFY(artifacts);
    auto tensors = decodeWeights(*artifacts->weightSpecs, bytesOf(*artifacts));
    QVERIFY(tensors);
    QCOMPARE(int(tensors->size()), 2);
    QCOMPARE(std::get<std::vector<float>>((*tensors)[0].values), (std::vector<float>{1, 3, 3}));
    QCOMPARE(std::get<std::vector<float>>((*tensors)[1].values), (std::vector<float>{7, 4}));
}

void TestHttpLoader::infoUsesHeadRequestsOnly()
{
    FaultServer server;
    server.serve(QStringLiteral("/m/model.json"),
                 modelJson("[{\"paths\":[\"w0\",\"w1\"],\"weights\":[" + kKernel + "," + kBias + "]}]"),
                 "application/json");
    server.serve(QStringLiteral("/m/w0"), f32({1, 3, 3}));
    server.serve(QStringLiteral("/m/w1"), f32({7, 4}));
    HttpOptions http;
    http.headers.push_back({"X-Test", "yes"});
    auto artifacts = load(server.url(QStringLiteral("/m/model.json")), http, LoadOptions::withoutWeights());
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(server.targets("GET"), QStringList{QStringLiteral("/m/model.json")});
    QStringList heads = server.targets("HEAD");
    heads.sort();
    QCOMPARE(heads, (QStringList{QStringLiteral("/m/w0"), QStringLiteral("/m/w1")}));
    for (const httptest::LoggedRequest &request : std::as_const(server.requests))
        QCOMPARE(request.header("X-Test"), QByteArray("yes"));
    const ModelOverview overview = overviewOf(*artifacts);
    QCOMPARE(overview.info.weightDataBytes, qint64(20));
    QCOMPARE(int(overview.groups.size()), 1);
    QCOMPARE(overview.groups[0][0].bytes, qint64(12));
    QCOMPARE(overview.groups[0][1].bytes, qint64(8));
}

void TestHttpLoader::infoWithoutHeadSupport()
{
    FaultServer server;
    serveModel(server);
    server.on(QStringLiteral("/weightfile0"), [](const QHttpServerRequest &request, QHttpServerResponder &responder) {
        if (request.method() == QHttpServerRequest::Method::Head)
            FaultServer::writeRaw(responder.socket(), 405, "text/plain", {}, 0);
        else
            FaultServer::writeRaw(responder.socket(), 200, "application/octet-stream", kData, 20);
    });
    auto artifacts = load(server.url(QStringLiteral("/model.json")), {}, LoadOptions::withoutWeights());
    QVERIFY(artifacts);
    QVERIFY(artifacts->weightData.isEmpty()); // sizes unknown, not guessed
    QCOMPARE(int(artifacts->weightSpecs->size()), 2);
}

void TestHttpLoader::progressCountsBytesAndShards()
{
    FaultServer server;
    server.serve(QStringLiteral("/model.json"),
                 modelJson("[{\"paths\":[\"w0\",\"w1\"],\"weights\":[" + kKernel + "," + kBias + "]}]"),
                 "application/json");
    server.serve(QStringLiteral("/w0"), f32({1, 3, 3}));
    server.serve(QStringLiteral("/w1"), f32({7, 4}));
    QList<Progress> progress;
    auto artifacts = load(server.url(QStringLiteral("/model.json")), {}, {}, -1, &progress);
    QVERIFY(artifacts);
    QVERIFY(!progress.isEmpty());
    const Progress last = progress.last();
    QCOMPARE(last.stage, QStringLiteral("Downloading weights"));
    QCOMPARE(last.bytesTotal, qint64(20));
    QCOMPARE(last.bytesDone, qint64(20));
    QCOMPARE(last.itemsTotal, 2);
    QCOMPARE(last.itemsDone, 2);
}

void TestHttpLoader::errors_data()
{
    QTest::addColumn<Setup>("setup");
    QTest::addColumn<HttpOptions>("http");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message"); // {base} = http://127.0.0.1:<port>
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("shard");
    QTest::addColumn<QString>("detail");

    const auto jsonStatus = [](int status, QByteArray body) {
        return Setup([=](FaultServer &s) {
            s.serve(QStringLiteral("/model.json"), body, "text/plain", status);
        });
    };
    const auto shardStatus = [](int status, QByteArray body) {
        return Setup([=](FaultServer &s) {
            serveModel(s);
            s.serve(QStringLiteral("/weightfile0"), body, "text/plain", status);
        });
    };
    const QString jsonFailed = QStringLiteral(
        "Request to {base}/model.json failed with status code %1. Please verify this URL points "
        "to the model JSON of the model to load.");
    const QString shardFailed =
        QStringLiteral("Request to {base}/weightfile0 for weight file 'weightfile0' failed with "
                       "status code %1.");
    const HttpOptions defaults;

    QTest::newRow("model JSON 401") << jsonStatus(401, "login first") << defaults << ErrorCode::Http
                                    << jsonFailed.arg(QStringLiteral("401 (Unauthorized)")) << 401
                                    << QString() << QStringLiteral("Response body: login first");
    QTest::newRow("model JSON 403") << jsonStatus(403, "no\r\nway") << defaults << ErrorCode::Http
                                    << jsonFailed.arg(QStringLiteral("403 (Forbidden)")) << 403
                                    << QString() << QStringLiteral("Response body: no way");
    QTest::newRow("model JSON 404") << jsonStatus(404, "") << defaults << ErrorCode::Http
                                    << jsonFailed.arg(QStringLiteral("404 (Not Found)")) << 404
                                    << QString() << QString();
    QTest::newRow("model JSON 500") << jsonStatus(500, "boom") << defaults << ErrorCode::Http
                                    << jsonFailed.arg(QStringLiteral("500 (Internal Server Error)"))
                                    << 500 << QString() << QStringLiteral("Response body: boom");
    QTest::newRow("shard 401") << shardStatus(401, "token expired") << defaults << ErrorCode::Http
                               << shardFailed.arg(QStringLiteral("401 (Unauthorized)")) << 401
                               << QStringLiteral("weightfile0")
                               << QStringLiteral("Response body: token expired");
    QTest::newRow("shard 403") << shardStatus(403, "") << defaults << ErrorCode::Http
                               << shardFailed.arg(QStringLiteral("403 (Forbidden)")) << 403
                               << QStringLiteral("weightfile0") << QString();
    QTest::newRow("shard 404 (TF.js decodes the page)")
        << shardStatus(404, "<html><body>Not Found</body></html>") << defaults << ErrorCode::Http
        << shardFailed.arg(QStringLiteral("404 (Not Found)")) << 404 << QStringLiteral("weightfile0")
        << QStringLiteral("Response body: <html><body>Not Found</body></html>");
    QTest::newRow("shard 500") << shardStatus(500, "oops") << defaults << ErrorCode::Http
                               << shardFailed.arg(QStringLiteral("500 (Internal Server Error)"))
                               << 500 << QStringLiteral("weightfile0")
                               << QStringLiteral("Response body: oops");
    QTest::newRow("HTML page instead of the model JSON")
        << Setup([](FaultServer &s) {
               s.serve(QStringLiteral("/model.json"),
                       "<!DOCTYPE html>\n<html><title>My app</title></html>",
                       "text/html; charset=utf-8");
           })
        << defaults << ErrorCode::Format
        << QStringLiteral("The server answered {base}/model.json with an HTML page (Content-Type: "
                          "text/html; charset=utf-8) instead of the model JSON. Please verify "
                          "this URL points to the model JSON of the model to load.")
        << 200 << QString()
        << QStringLiteral("Response body: <!DOCTYPE html> <html><title>My app</title></html>");
    QTest::newRow("HTML page instead of a shard")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.serve(QStringLiteral("/weightfile0"), "<html>app shell</html>", "text/html");
           })
        << defaults << ErrorCode::Weights
        << QStringLiteral("The server answered {base}/weightfile0 for weight file 'weightfile0' "
                          "with an HTML page (Content-Type: text/html) instead of weight bytes.")
        << 200 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("invalid JSON")
        << Setup([](FaultServer &s) {
               s.serve(QStringLiteral("/model.json"), "{\"modelTopology\": oops}", "application/json");
           })
        << defaults << ErrorCode::Parse
        << QStringLiteral("Failed to parse model JSON of response from {base}/model.json. Please "
                          "make sure the server is serving valid JSON for this request. PARSE")
        << 0 << QString() << QString();
    QTest::newRow("neither topology nor manifest")
        << Setup([](FaultServer &s) {
               s.serve(QStringLiteral("/model.json"), "{\"format\":\"layers-model\"}", "application/json");
           })
        << defaults << ErrorCode::Format
        << QStringLiteral("{base}/model.json is not a TensorFlow.js model JSON: it has neither "
                          "'modelTopology' nor 'weightsManifest'.")
        << 0 << QString() << QString();
    QTest::newRow("shards shorter than the specs")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.serve(QStringLiteral("/weightfile0"), kData.left(16));
           })
        << defaults << ErrorCode::Weights
        << QStringLiteral("The weight files of {base}/model.json are too short: tensor "
                          "'dense/bias' starts at byte 12 and needs 8 bytes, but the data ends at "
                          "byte 16, the end of the last shard, weightfile0.")
        << 0 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("shard longer than all the specs")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.serve(QStringLiteral("/weightfile0"), kData + "abcd");
           })
        << defaults << ErrorCode::Weights
        << QStringLiteral("Weight file 'weightfile0' at {base}/weightfile0 is 24 bytes, more than "
                          "the 20 bytes all the weight specs need.")
        << 200 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("truncated shard body")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.truncated(QStringLiteral("/weightfile0"), kData, 10);
           })
        << defaults << ErrorCode::Network
        << QStringLiteral("Request for weight file 'weightfile0' at {base}/weightfile0 failed: the "
                          "server closed or reset the connection before the response was complete.")
        << 0 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("connection reset during a shard")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.reset(QStringLiteral("/weightfile0"), kData, 8);
           })
        << defaults << ErrorCode::Network
        << QStringLiteral("Request for weight file 'weightfile0' at {base}/weightfile0 failed: the "
                          "server closed or reset the connection before the response was complete.")
        << 0 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("connection reset before the model JSON")
        << Setup([](FaultServer &s) { s.reset(QStringLiteral("/model.json"), "{}", 0); })
        << defaults << ErrorCode::Network
        << QStringLiteral("Request for the model JSON at {base}/model.json failed: the server "
                          "closed or reset the connection before the response was complete.")
        << 0 << QString() << QString();
    HttpOptions quick;
    quick.stallTimeoutMs = 300;
    // The speed floor's window is the stall timeout too: without this, on a busy machine
    // either of the two could fire first (the floor has rows of its own).
    quick.lowSpeedBytes = 0;
    QTest::newRow("stalled shard")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.stall(QStringLiteral("/weightfile0"), kData, 4);
           })
        << quick << ErrorCode::Network
        << QStringLiteral("Request for weight file 'weightfile0' at {base}/weightfile0 failed: "
                          "nothing was sent or received for 0.3 s.")
        << 0 << QStringLiteral("weightfile0") << QString();
    QTest::newRow("redirect loop")
        << Setup([](FaultServer &s) {
               s.redirect(QStringLiteral("/model.json"), "/model.json");
           })
        << defaults << ErrorCode::Http
        << QStringLiteral("Request for the model JSON failed: more than 20 redirects (from "
                          "{base}/model.json, the last one to {base}/model.json).")
        << 302 << QString() << QString();
    QTest::newRow("redirect to file://")
        << Setup([](FaultServer &s) {
               s.redirect(QStringLiteral("/model.json"), "file:///etc/passwd", 301);
           })
        << defaults << ErrorCode::Http
        << QStringLiteral("Request for the model JSON at {base}/model.json was redirected to "
                          "'file:///etc/passwd'; only http and https redirects are followed.")
        << 301 << QString() << QString();
    QTest::newRow("shard redirect to ftp://")
        << Setup([](FaultServer &s) {
               serveModel(s);
               s.redirect(QStringLiteral("/weightfile0"), "ftp://127.0.0.1/weightfile0", 307);
           })
        << defaults << ErrorCode::Http
        << QStringLiteral("Request for weight file 'weightfile0' at {base}/weightfile0 was "
                          "redirected to 'ftp://127.0.0.1/weightfile0'; only http and https "
                          "redirects are followed.")
        << 307 << QStringLiteral("weightfile0") << QString();
}

void TestHttpLoader::errors()
{
    QFETCH(Setup, setup);
    QFETCH(HttpOptions, http);
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QFETCH(int, status);
    QFETCH(QString, shard);
    QFETCH(QString, detail);

    FaultServer server;
    setup(server);
    auto artifacts = load(server.url(QStringLiteral("/model.json")), http);
    QVERIFY(!artifacts);
    const Error &error = artifacts.error();
    QCOMPARE(errorCodeName(error.code), errorCodeName(code));
    message = expand(message, server);
    if (message.endsWith(QStringLiteral(" PARSE"))) { // followed by parseJson's own message
        message.chop(5);
        QVERIFY2(error.message.startsWith(message + QStringLiteral("Invalid JSON in ")),
                 qPrintable(error.message));
        QVERIFY(error.offset > 0);
    } else {
        QCOMPARE(error.message, message);
    }
    QCOMPARE(error.status, status);
    QCOMPARE(error.shard, shard);
    QCOMPARE(error.detail, detail);
    QVERIFY(error.url.startsWith(server.url({})));
}

void TestHttpLoader::connectionRefused()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const QString url = QStringLiteral("http://127.0.0.1:%1/model.json").arg(port);
    auto artifacts = load(url);
    QVERIFY(!artifacts);
    QCOMPARE(artifacts.error().code, ErrorCode::Network);
    QCOMPARE(artifacts.error().message,
             QStringLiteral("Request for the model JSON at %1 failed: the connection was refused.").arg(url));
    QCOMPARE(artifacts.error().url, url);
}

void TestHttpLoader::connectTimeout()
{
    // A listening socket whose accept queue is full: the kernel drops further SYNs, so a
    // connection attempt hangs like one to a black-holed host.
    QTcpServer full;
    full.setListenBacklogSize(1);
    QVERIFY(full.listen(QHostAddress::LocalHost, 0));
    full.pauseAccepting();
    std::vector<std::unique_ptr<QTcpSocket>> fillers;
    for (int i = 0; i < 4; ++i) {
        fillers.push_back(std::make_unique<QTcpSocket>());
        fillers.back()->connectToHost(QHostAddress::LocalHost, full.serverPort());
        fillers.back()->waitForConnected(300);
    }
    HttpOptions http;
    http.connectTimeoutMs = 700;
    const QString url = QStringLiteral("http://127.0.0.1:%1/model.json").arg(full.serverPort());
    QElapsedTimer clock;
    clock.start();
    auto artifacts = load(url, http);
    QVERIFY(!artifacts);
    if (artifacts.error().message.contains(QStringLiteral("refused")))
        QSKIP("this kernel refuses connections to a full accept queue instead of dropping them");
    QCOMPARE(artifacts.error().code, ErrorCode::Network);
    QCOMPARE(artifacts.error().message,
             QStringLiteral("Request for the model JSON at %1 failed: no connection within 0.7 s.").arg(url));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
}

void TestHttpLoader::sameOriginRedirectKeepsHeaders()
{
    FaultServer server;
    server.redirect(QStringLiteral("/old/model.json"), "/new/model.json", 301);
    serveModel(server, QStringLiteral("/new"));
    server.serve(QStringLiteral("/old/weightfile0"), kData);
    HttpOptions http;
    http.headers.push_back({"Authorization", "Bearer same-origin-token"});
    auto artifacts = load(server.url(QStringLiteral("/old/model.json")), http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    // As TF.js: shard URLs come from the URL asked for, not the redirect's target.
    QCOMPARE(server.targets(), (QStringList{QStringLiteral("/old/model.json"),
                                            QStringLiteral("/new/model.json"),
                                            QStringLiteral("/old/weightfile0")}));
    for (const httptest::LoggedRequest &request : std::as_const(server.requests))
        QCOMPARE(request.header("Authorization"), QByteArray("Bearer same-origin-token"));
}

void TestHttpLoader::crossOriginRedirectDropsSecretHeaders()
{
    FaultServer a;
    FaultServer b; // another port: another origin
    a.redirect(QStringLiteral("/model.json"), b.url(QStringLiteral("/model.json")).toUtf8(), 302);
    serveModel(b);
    a.serve(QStringLiteral("/weightfile0"), kData);
    HttpOptions http;
    http.headers.push_back({"Authorization", "Bearer only-for-a"});
    http.headers.push_back({"X-Api-Key", "only-for-a-too"});
    http.headers.push_back({"X-Client", "tests"});
    auto artifacts = load(a.url(QStringLiteral("/model.json")), http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(b.requests.size(), 1);
    QVERIFY(!b.requests[0].hasHeader("Authorization"));
    QVERIFY(!b.requests[0].hasHeader("X-Api-Key"));
    QCOMPARE(b.requests[0].header("X-Client"), QByteArray("tests"));
    QCOMPARE(a.targets(), (QStringList{QStringLiteral("/model.json"), QStringLiteral("/weightfile0")}));
    for (const httptest::LoggedRequest &request : std::as_const(a.requests))
        QCOMPARE(request.header("Authorization"), QByteArray("Bearer only-for-a"));
}

void TestHttpLoader::authHeaderChecked()
{
    FaultServer server;
    const QByteArray json = oneShardModelJson();
    const auto guarded = [](QByteArray body, QByteArray type) {
        return [=](const QHttpServerRequest &request, QHttpServerResponder &responder) {
            if (request.value("Authorization") != "Bearer let-me-in")
                FaultServer::writeRaw(responder.socket(), 401, "text/plain", "missing credentials", 19);
            else
                FaultServer::writeRaw(responder.socket(), 200, type, body, body.size());
        };
    };
    server.on(QStringLiteral("/model.json"), guarded(json, "application/json"));
    server.on(QStringLiteral("/weightfile0"), guarded(kData, "application/octet-stream"));

    auto refused = load(server.url(QStringLiteral("/model.json")));
    QVERIFY(!refused);
    QCOMPARE(refused.error().status, 401);

    HttpOptions http;
    http.headers.push_back({"Authorization", "Bearer let-me-in"});
    auto artifacts = load(server.url(QStringLiteral("/model.json")), http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kData);
}

void TestHttpLoader::secretsNeverInMessages()
{
    FaultServer server;
    // A careless server that echoes what it got, including the credentials.
    server.on(QStringLiteral("/model.json"), [](const QHttpServerRequest &request, QHttpServerResponder &responder) {
        const QByteArray body = "rejected Authorization: " + request.value("Authorization")
                                + " cookie=" + request.value("Cookie") + " q=" + request.url().query().toUtf8();
        FaultServer::writeRaw(responder.socket(), 403, "text/plain", body, body.size());
    });
    HttpOptions http;
    http.headers.push_back({"Authorization", "Bearer sk-live-0123456789"});
    http.headers.push_back({"Cookie", "session=cookie-secret-42"});
    auto artifacts = load(QStringLiteral("http://user:pa55word@127.0.0.1:%1/model.json?token=tok-xyz-987&v=1")
                              .arg(server.port()),
                          http);
    QVERIFY(!artifacts);
    const QString text = artifacts.error().toString();
    for (const char *secret : {"sk-live-0123456789", "cookie-secret-42", "pa55word", "tok-xyz-987"})
        QVERIFY2(!text.contains(QLatin1String(secret)), qPrintable(text));
    QCOMPARE(artifacts.error().url,
             QStringLiteral("http://127.0.0.1:%1/model.json?token=***&v=1").arg(server.port()));
    QCOMPARE(artifacts.error().detail,
             QStringLiteral("Response body: rejected Authorization: *** cookie=*** q=token=***&v=1"));
}

void TestHttpLoader::cancelAbortsTransfers()
{
    FaultServer server;
    serveModel(server);
    server.drip(QStringLiteral("/weightfile0"), kData, 1, 100); // 2 s in all
    QElapsedTimer clock;
    clock.start();
    auto artifacts = load(server.url(QStringLiteral("/model.json")), {}, {}, 300);
    QVERIFY(!artifacts);
    QCOMPARE(artifacts.error().code, ErrorCode::Cancelled);
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
}

void TestHttpLoader::modelJsonOverTheLimit()
{
    // The model JSON is kept in memory: over 256 MiB it is refused when the headers announce
    // it (before a byte of body), and while it streams when they do not (chunked).
    FaultServer server;
    server.on(QStringLiteral("/model.json"), [](const QHttpServerRequest &, QHttpServerResponder &responder) {
        FaultServer::writeRaw(responder.socket(), 200, "application/json", "{", 314572800);
    });
    QElapsedTimer clock;
    clock.start();
    auto announced = load(server.url(QStringLiteral("/model.json")));
    QVERIFY(!announced);
    QCOMPARE(announced.error().message,
             QStringLiteral("The model JSON at %1 is 314572800 bytes or more; model JSON files over "
                            "268435456 bytes are refused.")
                 .arg(server.url(QStringLiteral("/model.json"))));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));

    const QByteArray json = oneShardModelJson();
    server.dripChunked(QStringLiteral("/model.json"), json, 64, 1);
    HttpOptions http;
    http.maxJsonBytes = json.size() - 10;
    auto streamed = load(server.url(QStringLiteral("/model.json")), http);
    QVERIFY(!streamed);
    QVERIFY2(streamed.error().message.endsWith(QStringLiteral("model JSON files over %1 bytes are refused.")
                                                   .arg(http.maxJsonBytes)),
             qPrintable(streamed.error().message));
    http.maxJsonBytes = json.size();
    serveModel(server);
    QVERIFY(load(server.url(QStringLiteral("/model.json")), http)); // at the limit: loads
}

void TestHttpLoader::hugeResponseHeadRefused()
{
    // Qt drops all header fields of an answer with over 100, one over 100 KiB or over 256 KiB
    // in all, and would read it on without its length and encoding: refused. Under those
    // limits the model loads.
    const QByteArray json = oneShardModelJson();
    FaultServer server;
    server.serve(QStringLiteral("/weightfile0"), kData, "application/octet-stream");
    const QString url = server.url(QStringLiteral("/model.json"));
    const auto loadWithFields = [&](int fields, int valueBytes) {
        server.on(QStringLiteral("/model.json"), [=](const QHttpServerRequest &, QHttpServerResponder &responder) {
            QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                              + QByteArray::number(json.size()) + "\r\n";
            for (int i = 0; i < fields; ++i)
                head += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(valueBytes, 'a') + "\r\n";
            responder.socket()->write(head + "\r\n" + json);
        });
        return load(url);
    };
    const QString dropped = QStringLiteral("Request for the model JSON at %1 failed: the answer came "
                                           "without header fields Qt could read (Qt drops them all "
                                           "when there are over 100, one is over 100 KiB, or all "
                                           "are over 256 KiB).")
                                .arg(url);
    auto big = loadWithFields(3, 100'000); // 300 KB in 5 fields
    QVERIFY(!big);
    QCOMPARE(big.error().code, ErrorCode::Network);
    QCOMPARE(big.error().message, dropped);
    auto longField = loadWithFields(1, 1 << 20); // 1 MiB in one field
    QVERIFY(!longField);
    QCOMPARE(longField.error().message, dropped);
    auto manyFields = loadWithFields(101, 10);
    QVERIFY(!manyFields);
    QCOMPARE(manyFields.error().message, dropped);
    auto under = loadWithFields(90, 2800); // 252 KB in 92 fields
    QVERIFY2(under, under ? "" : qPrintable(under.error().message));
    QCOMPARE(bytesOf(*under), kData);
}

void TestHttpLoader::cancelAtEveryStage_data()
{
    QTest::addColumn<QString>("stage");
    QTest::newRow("connected, no answer to model.json") << QStringLiteral("silent server");
    QTest::newRow("model.json headers, no body") << QStringLiteral("json stalled");
    QTest::newRow("model.json half read") << QStringLiteral("json dripping");
    QTest::newRow("shard requested, no answer") << QStringLiteral("shard silent");
    QTest::newRow("shard headers, no body") << QStringLiteral("shard stalled");
    QTest::newRow("shard half read") << QStringLiteral("shard dripping");
}

void TestHttpLoader::cancelAtEveryStage()
{
    // A cancel 300 ms in ends the load at once wherever it is, with "cancelled" and nothing
    // kept (weights go to an unnamed spool file; leaks are the sanitizer build's to find).
    QFETCH(QString, stage);
    FaultServer server;
    serveModel(server);
    const QByteArray json = oneShardModelJson();
    QTcpServer silent; // accepts, reads nothing, answers nothing
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QString url = server.url(QStringLiteral("/model.json"));
    if (stage == QLatin1String("silent server"))
        url = QStringLiteral("http://127.0.0.1:%1/model.json").arg(silent.serverPort());
    else if (stage == QLatin1String("json stalled"))
        server.stall(QStringLiteral("/model.json"), json, 0);
    else if (stage == QLatin1String("json dripping"))
        server.drip(QStringLiteral("/model.json"), json, 4, 50);
    else if (stage == QLatin1String("shard silent"))
        server.on(QStringLiteral("/weightfile0"), [](const QHttpServerRequest &, QHttpServerResponder &) {});
    else if (stage == QLatin1String("shard stalled"))
        server.stall(QStringLiteral("/weightfile0"), kData, 0);
    else
        server.drip(QStringLiteral("/weightfile0"), kData, 1, 100);
    QElapsedTimer clock;
    clock.start();
    auto artifacts = load(url, {}, {}, 300);
    QVERIFY(!artifacts);
    QCOMPARE(artifacts.error().code, ErrorCode::Cancelled);
    QVERIFY2(clock.elapsed() < 1500, qPrintable(QString::number(clock.elapsed())));
}

void TestHttpLoader::slowButSteadyTransferSucceeds()
{
    FaultServer server;
    serveModel(server);
    server.drip(QStringLiteral("/weightfile0"), kData, 2, 150); // 10 chunks, 150 ms apart
    HttpOptions http;
    http.stallTimeoutMs = 700; // longer than any gap, shorter than the transfer
    http.lowSpeedBytes = 4;    // ~9 bytes arrive in each 0.7 s: above this floor
    auto artifacts = load(server.url(QStringLiteral("/model.json")), http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kData);
}

void TestHttpLoader::tricklingTransferFails()
{
    // A byte every 100 ms never leaves the transfer quiet for the stall timeout, but moves
    // fewer bytes in a stall timeout's time than the floor: it fails, naming the shard.
    FaultServer server;
    serveModel(server);
    server.drip(QStringLiteral("/weightfile0"), kData, 1, 100); // 20 bytes over 2 s
    HttpOptions http;
    http.stallTimeoutMs = 1200;
    http.lowSpeedBytes = 64;
    auto artifacts = load(server.url(QStringLiteral("/model.json")), http);
    QVERIFY(!artifacts);
    const Error &error = artifacts.error();
    QCOMPARE(error.code, ErrorCode::Network);
    QCOMPARE(error.shard, QStringLiteral("weightfile0"));
    const QRegularExpression expected(QStringLiteral(
        "^Request for weight file 'weightfile0' at http://127\\.0\\.0\\.1:\\d+/weightfile0 failed: "
        "only (\\d+) bytes were sent or received in 1\\.2 s \\(fewer than 64\\); the server is too slow\\.$"));
    const auto match = expected.match(error.message);
    QVERIFY2(match.hasMatch(), qPrintable(error.message));
    QVERIFY(match.captured(1).toInt() < 20);
}

void TestHttpLoader::tlsErrorsFatalUnlessHostAllowed()
{
    const httptest::TestCertificate tls = httptest::makeTestCertificate();
    if (tls.isNull())
        QFAIL("no openssl to make a test certificate: the test command installs it");
    FaultServer server(tls.certificate, tls.key);
    serveModel(server);
    const QString url = server.url(QStringLiteral("/model.json"));
    QVERIFY(url.startsWith(QStringLiteral("https://")));
    auto refused = load(url);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::Network);
    QVERIFY2(refused.error().message.startsWith(
                 QStringLiteral("Request for the model JSON at %1 failed: the TLS handshake failed (").arg(url)),
             qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.endsWith(
                 QStringLiteral("); TLS errors are ignored only for hosts allowed explicitly "
                                "(--insecure-host 127.0.0.1).")),
             qPrintable(refused.error().message));
    QVERIFY2(refused.error().message.contains(QStringLiteral("self signed"), Qt::CaseInsensitive)
                 || refused.error().message.contains(QStringLiteral("self-signed"), Qt::CaseInsensitive),
             qPrintable(refused.error().message));
    QCOMPARE(server.requests.size(), 0);

    HttpOptions http;
    http.insecureHosts = {QStringLiteral("localhost")}; // another host: still refused
    QVERIFY(!load(url, http));
    http.insecureHosts = {QStringLiteral("127.0.0.1")};
    auto artifacts = load(url, http);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kData);
}

// Shard 0 has no Content-Length and comes slowly; shards 1 and 2 are complete long before
// it: their bytes wait for shard 0's size, then all land in manifest order in one spool.
void TestHttpLoader::shardsArrivingOutOfOrderLandInOrder()
{
    FaultServer server;
    const QByteArray kernel = f32({1, 3, 3});
    const QByteArray bias = f32({7, 4});
    server.serve(QStringLiteral("/model.json"),
                 modelJson(R"([{"paths":["a","b","c"],"weights":[)" + kKernel + "," + kBias + "]}]"),
                 "application/json");
    server.dripChunked(QStringLiteral("/a"), kernel.left(8), 3, 60);
    server.serve(QStringLiteral("/b"), kernel.mid(8) + bias.left(4));
    server.serve(QStringLiteral("/c"), bias.mid(4));
    auto artifacts = load(server.url(QStringLiteral("/model.json")));
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kernel + bias);
    const auto &segments = artifacts->weightData.segments();
    QCOMPARE(int(segments.size()), 3);
    QCOMPARE(segments[0].label, QStringLiteral("a"));
    QCOMPARE(segments[1].offset, qint64(8));
    QCOMPARE(segments[2].offset, qint64(16));
    QVERIFY(artifacts->weightData.wholeSpool());
}

// Downloaded weights live in an unnamed file in the spool folder: nothing appears there,
// during or after the load, nor after a failed one.
void TestHttpLoader::weightsAreSpooledWithoutNames()
{
    QTemporaryDir spool;
    QVERIFY(spool.isValid());
    const auto entries = [&] {
        return QDir(spool.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    };
    FaultServer server;
    serveModel(server);
    LoadOptions options;
    options.spoolFolder = spool.path();
    {
        auto artifacts = load(server.url(QStringLiteral("/model.json")), {}, options);
        QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
        QCOMPARE(bytesOf(*artifacts), kData);
        const auto file = artifacts->weightData.wholeSpool();
        QVERIFY(file);
        QCOMPARE(file->folder(), QDir(spool.path()).absolutePath());
        QCOMPARE(entries(), QStringList());
    }
    server.serve(QStringLiteral("/weightfile0"), "missing", "text/plain", 404);
    auto failed = load(server.url(QStringLiteral("/model.json")), {}, options);
    QVERIFY(!failed);
    QCOMPARE(failed.error().status, 404);
    QCOMPARE(entries(), QStringList());
}

void TestHttpLoader::spoolFolderMissingFallsBack()
{
    QTemporaryDir parent;
    FaultServer server;
    serveModel(server);
    LoadOptions options;
    options.spoolFolder = parent.filePath(QStringLiteral("not-there"));
    auto artifacts = load(server.url(QStringLiteral("/model.json")), {}, options);
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kData);
    QVERIFY(artifacts->weightData.wholeSpool()); // in the system's temporary folder
    QVERIFY(!QFileInfo::exists(options.spoolFolder));
}

// A shard whose offset stays unknown while more than ShardPlacer::kMaxPending (1 MiB) of it
// arrives waits in a spool of its own, not in memory, and is copied to its place once the
// earlier shard's size is known: the result is still one whole spool a save can name.
void TestHttpLoader::largeEarlyShardEndsUpInPlace()
{
    FaultServer server;
    const qint64 biasCount = (3 << 20) / 4 + 2;
    QByteArray bias(biasCount * 4, Qt::Uninitialized);
    for (qint64 i = 0; i < bias.size(); ++i)
        bias[i] = char(i * 7 % 251);
    const QByteArray kernel = f32({1, 3, 3});
    server.serve(QStringLiteral("/model.json"),
                 modelJson(R"([{"paths":["a","b"],"weights":[)" + kKernel
                           + R"(,{"name":"dense/bias","shape":[)" + QByteArray::number(biasCount)
                           + R"(],"dtype":"float32"}]}])"),
                 "application/json");
    server.dripChunked(QStringLiteral("/a"), kernel.left(8), 2, 100);
    server.serve(QStringLiteral("/b"), kernel.mid(8) + bias);
    auto artifacts = load(server.url(QStringLiteral("/model.json")));
    QVERIFY2(artifacts, qPrintable(artifacts ? QString() : artifacts.error().toString()));
    QCOMPARE(bytesOf(*artifacts), kernel + bias);
    const auto &segments = artifacts->weightData.segments();
    QCOMPARE(int(segments.size()), 2);
    QCOMPARE(segments[1].offset, qint64(8));
    QVERIFY(artifacts->weightData.wholeSpool());
    // Shards are asked for as stored, so their Content-Length is their size.
    for (const httptest::LoggedRequest &request : std::as_const(server.requests)) {
        if (request.path != QStringLiteral("/model.json"))
            QCOMPARE(request.header("Accept-Encoding"), QByteArray("identity"));
    }
}

void TestHttpLoader::middleShardFaults_data()
{
    QTest::addColumn<QByteArray>("answer"); // the whole answer to GET /s2, then a close
    QTest::addColumn<QString>("message");   // {base} = http://127.0.0.1:<port>
    // Qt reports a connection closed inside a chunk, or, when the close comes with the data,
    // ends the body there without an error: then the sizes name the short shard.
    QTest::addColumn<QString>("orMessage");

    const QByteArray s2 = f32({3, 7});
    const QByteArray deflated = qCompress(s2).mid(4); // a zlib stream, as Content-Encoding: deflate
    const QString sizes = QStringLiteral(
        "The weight files of {base}/model.json are too short: tensor 'dense/bias' starts at byte "
        "12 and needs 8 bytes, but the data ends at byte %1, the end of the last shard, s3 "
        "(shards: s1 8 bytes, s2 %2, s3 4 bytes).");
    const QString encoded = QStringLiteral(
        "The server sent weight file 's2' at {base}/s2 encoded (Content-Encoding: %1) although "
        "the request asked for its bytes as stored (Accept-Encoding: identity); encoded shards "
        "are not decoded. Serve the file without compression.");
    const QString cut = QStringLiteral(
        "Request for weight file 's2' at {base}/s2 failed: the server closed or reset the "
        "connection before the response was complete.");
    // The odd shard shows in the sizes (the end of data is the last shard's).
    QTest::newRow("Content-Length short of the body")
        << "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n" + s2 << sizes.arg(16).arg(QStringLiteral("4 bytes")) << QString();
    QTest::newRow("broken chunk size (read as empty)")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + s2 + "\r\n0\r\n\r\n"
        << sizes.arg(12).arg(QStringLiteral("0 bytes")) << QString();
    QTest::newRow("Content-Length past the body") << "HTTP/1.1 200 OK\r\nContent-Length: 16\r\n\r\n" + s2 << cut << QString();
    QTest::newRow("chunk cut short")
        << "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n" + s2.left(4) << cut
        << sizes.arg(16).arg(QStringLiteral("4 bytes"));
    QTest::newRow("2 GiB Content-Length for 8 bytes")
        << "HTTP/1.1 200 OK\r\nContent-Length: 2147483648\r\n\r\n" + s2
        << QStringLiteral("Weight file 's2' at {base}/s2 is 2147483648 bytes, more than the 20 bytes "
                          "all the weight specs need.") << QString();
    QTest::newRow("deflate-encoded")
        << "HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\nContent-Length: "
               + QByteArray::number(deflated.size()) + "\r\n\r\n" + deflated
        << encoded.arg(QStringLiteral("deflate")) << QString();
    QTest::newRow("labelled gzip, plain bytes")
        << "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 8\r\n\r\n" + s2
        << encoded.arg(QStringLiteral("gzip")) << QString();
}

void TestHttpLoader::middleShardFaults()
{
    QFETCH(QByteArray, answer);
    QFETCH(QString, message);
    QFETCH(QString, orMessage);
    FaultServer server;
    server.serve(QStringLiteral("/model.json"),
                 modelJson(R"([{"paths":["s1","s2","s3"],"weights":[)" + kKernel + "," + kBias + "]}]"),
                 "application/json");
    server.serve(QStringLiteral("/s1"), f32({1, 3}));
    server.serve(QStringLiteral("/s3"), f32({4}));
    server.on(QStringLiteral("/s2"), [answer](const QHttpServerRequest &, QHttpServerResponder &responder) {
        responder.socket()->write(answer);
        responder.socket()->flush();
        responder.socket()->disconnectFromHost();
    });
    auto artifacts = load(server.url(QStringLiteral("/model.json")));
    QVERIFY(!artifacts);
    if (!orMessage.isEmpty() && artifacts.error().message == expand(orMessage, server))
        return;
    QCOMPARE(artifacts.error().message, expand(message, server));
}

QTEST_GUILESS_MAIN(TestHttpLoader)
#include "tst_httploader.moc"
