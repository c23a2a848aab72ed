// Uploads as TF.js's browserHTTPRequest save (spec §4.4; TF.js http_test.ts "http-save"):
// the parts of the multipart body (the body itself: tst_multipartbody), POST and PUT with
// headers, error statuses, redirects, streaming from files, progress, cancellation, secrets,
// the answer's framings, TLS. Answers before the body is sent: tst_uploadanswers; proxies:
// tst_uploadproxies.
#include "uploadtestdata.h"

#include <QTemporaryDir>

using namespace tfjs;
using namespace uploadtest;

class TestHttpUpload : public QObject
{
    Q_OBJECT

private slots:
    void partsAreTfjsParts();
    void topologyOnlyHasOnePart();
    void postsMultipart();
    void putWithHeaders();
    void errorStatus_data();
    void errorStatus();
    void redirect307ResendsBody_data();
    void redirect307ResendsBody();
    void redirectWithoutTheBodyFails_data();
    void redirectWithoutTheBodyFails();
    void streamsFromFiles();
    void missingWeightFileFailsBeforeConnecting();
    void progressInBytes();
    void cancelWhileWaiting();
    void secretsNeverInMessages();
    void refusesBodylessMethod();
    void responseFramings_data();
    void responseFramings();
    void tlsErrorsFatalUnlessHostAllowed();
    void serverFaults();
};

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

void TestHttpUpload::redirect307ResendsBody_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("307") << 307;
    QTest::newRow("308") << 308;
}

void TestHttpUpload::redirect307ResendsBody()
{
    QFETCH(int, status);
    FaultServer server;
    server.redirect(QStringLiteral("/upload"), "/v2/upload", status);
    answer(server, QStringLiteral("/v2/upload"), 200, "ok");
    auto saved = upload(server.url(QStringLiteral("/upload")), modelArtifacts());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->responseBody, QByteArray("ok"));
    QCOMPARE(server.requests.size(), 2);
    const httptest::LoggedRequest &second = server.requests[1];
    QCOMPARE(second.method, QByteArray("POST"));
    QCOMPARE(second.path, QStringLiteral("/v2/upload"));
    const auto parts = parseMultipart(second.body, boundaryOf(second.header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[1].content, kWeights);
    QCOMPARE(second.body, server.requests[0].body);
}

// fetch() would follow these as a GET without the body and report the page it gets; an upload
// reports them as failures naming the status and where they point, and sends nothing more.
void TestHttpUpload::redirectWithoutTheBodyFails_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("method");
    QTest::newRow("301 POST") << 301 << QByteArray("POST");
    QTest::newRow("302 POST") << 302 << QByteArray("POST");
    QTest::newRow("303 POST") << 303 << QByteArray("POST");
    QTest::newRow("303 PUT") << 303 << QByteArray("PUT");
}

void TestHttpUpload::redirectWithoutTheBodyFails()
{
    QFETCH(int, status);
    QFETCH(QByteArray, method);
    FaultServer server;
    server.redirect(QStringLiteral("/upload"), "/models/42?view=1", status);
    answer(server, QStringLiteral("/models/42"), 200, "a page about model 42", "text/html");
    HttpOptions http;
    http.uploadMethod = method;
    const QString url = server.url(QStringLiteral("/upload"));
    auto saved = upload(url, modelArtifacts(), http);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Http);
    QCOMPARE(saved.error().message,
        QStringLiteral("Saving to %1 failed due to HTTP response status %2 (Redirect), a "
                       "redirect to %3: the model was not delivered (an upload follows only "
                       "307 and 308 redirects, which keep its body).")
            .arg(url)
            .arg(status)
            .arg(server.url(QStringLiteral("/models/42?view=1"))));
    QCOMPARE(saved.error().status, status);
    QCOMPARE(saved.error().url, url);
    QCOMPARE(server.targets(), QStringList { QStringLiteral("/upload") });
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

void TestHttpUpload::tlsErrorsFatalUnlessHostAllowed()
{
    const httptest::TestCertificate &tls = httptest::testCertificate();
    QVERIFY2(!tls.isNull(), "no openssl to make a test certificate: the test command installs it");
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
    const QByteArray big = patterned(12 << 20);
    QList<Progress> progress;
    auto large = upload(url, largeModel(dir.path(), big.size(), big), http, -1, &progress);
    QVERIFY2(large, qPrintable(large ? QString() : large.error().toString()));
    QCOMPARE(server.requests.size(), 2);
    const auto bigParts = parseMultipart(server.requests[1].body,
                                         boundaryOf(server.requests[1].header("Content-Type")));
    QCOMPARE(bigParts.size(), 2);
    QVERIFY(bigParts[1].content == big);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().bytesDone, qint64(server.requests[1].body.size()));
}

void TestHttpUpload::serverFaults()
{
    // A server that resets the connection mid-body without answering, goes silent after the
    // body, cuts its answer short, or sends an answer head over 1 MiB: each a clear error naming
    // the URL, never a success.
    QTemporaryDir dir;
    const ModelArtifacts big = largeModel(dir.path(), 8 << 20);
    httptest::EarlyAnswerServer resetting(0, {}, 64 << 10);
    auto reset = upload(resetting.url(QStringLiteral("/upload")), big);
    QVERIFY(!reset);
    QCOMPARE(reset.error().code, ErrorCode::Network);
    QVERIFY2(reset.error().message.startsWith(
                 QStringLiteral("Request for the model upload at %1 failed: the server closed the "
                                "connection after ").arg(resetting.url(QStringLiteral("/upload"))))
                 && reset.error().message.endsWith(QStringLiteral(" bytes of the request body, without an answer.")),
             qPrintable(reset.error().message));

    FaultServer server;
    server.on(QStringLiteral("/silent"), [](const QHttpServerRequest &, QHttpServerResponder &) {});
    HttpOptions http;
    http.stallTimeoutMs = 1000;
    auto silent = upload(server.url(QStringLiteral("/silent")), modelArtifacts(), http);
    QVERIFY(!silent);
    QVERIFY2(silent.error().message.contains(QStringLiteral("nothing was sent or received for 1 s")),
             qPrintable(silent.error().message));

    server.on(QStringLiteral("/short"), [](const QHttpServerRequest &, QHttpServerResponder &responder) {
        responder.socket()->write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        responder.socket()->disconnectFromHost();
    });
    auto cut = upload(server.url(QStringLiteral("/short")), modelArtifacts());
    QVERIFY(!cut);
    QCOMPARE(cut.error().message,
             QStringLiteral("Request for the model upload at %1 failed: the server closed or reset "
                            "the connection before the response was complete.")
                 .arg(server.url(QStringLiteral("/short"))));

    server.on(QStringLiteral("/huge"), [](const QHttpServerRequest &, QHttpServerResponder &responder) {
        responder.socket()->write("HTTP/1.1 200 OK\r\nX-Filler: " + QByteArray(2 << 20, 'a')
                                  + "\r\nContent-Length: 2\r\n\r\nok");
    });
    auto huge = upload(server.url(QStringLiteral("/huge")), modelArtifacts());
    QVERIFY(!huge);
    QVERIFY2(huge.error().message.startsWith(
                 QStringLiteral("Request for the model upload at %1 failed: The response head is "
                                "over 1 MiB.").arg(server.url(QStringLiteral("/huge")))),
             qPrintable(huge.error().message));
}

QTEST_GUILESS_MAIN(TestHttpUpload)
#include "tst_httpupload.moc"
