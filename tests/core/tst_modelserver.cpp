// The model server (core/serve) on 127.0.0.1:0 with a real store in a temporary folder, driven
// by QNetworkAccessManager: list, load, save (TF.js's multipart parts), 409 on a taken path and
// ?overwrite=1, DELETE and the token, 413, malformed bodies, traversal, CORS preflight, Origin
// and Host checks. Every refusal: its status and message, and nothing stored.
#include "base/job.h"
#include "handlers/modelmanager.h"
#include "schemes/schemes.h"
#include "serve/modelserver.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QHttpMultiPart>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace tfjs;

namespace {

const QByteArray kJson = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"s","layers":[]}},)"
                         R"("format":"layers-model","weightsManifest":[{"paths":["./model.weights.bin"],)"
                         R"("weights":[{"name":"w","shape":[2],"dtype":"float32"}]}]})";
const QByteArray kWeights("\x01\x02\x03\x04\x05\x06\x07\x08", 8);
const QByteArray kOtherWeights("\x11\x12\x13\x14\x15\x16\x17\x18", 8);

struct Answer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QList<QNetworkReply::RawHeaderPair> headers;

    Json json() const { return Json::parse(body.toStdString(), nullptr, false); }
    QString message() const { return QString::fromStdString(json().value("error", std::string())); }
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
};

// The weights file a served model.json names.
QString weightsPathOf(const Answer &json)
{
    return QString::fromStdString(json.json()["weightsManifest"][0]["paths"][0].get<std::string>());
}

bool isTaggedWeightsName(const QString &name)
{
    return QRegularExpression(QStringLiteral("^model\\.weights\\.[0-9a-f]{16}\\.bin$")).match(name).hasMatch();
}

using Headers = QList<QPair<QByteArray, QByteArray>>;

QHttpPart filePart(const QByteArray &name, const QByteArray &type, const QByteArray &bytes)
{
    QHttpPart part;
    part.setHeader(QNetworkRequest::ContentDispositionHeader,
                   QByteArray("form-data; name=\"" + name + "\"; filename=\"" + name + "\""));
    part.setHeader(QNetworkRequest::ContentTypeHeader, type);
    part.setBody(bytes);
    return part;
}

} // namespace

class TestModelServer : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listsAndLoadsWhatItSaves();
    void putSavesToo();
    void takenPathIs409UnlessOverwrite();
    void deleteNeedsToken();
    void writesNeedTheTokenWhenSet();
    void bodyOverTheLimitIs413();
    void modelJsonOverTheLimitIs413();
    void connectionsOverTheLimitWait();
    void malformedUploads_data();
    void malformedUploads();
    void traversalRefused();
    void preflightAnswersTfjsHeaders();
    void originNotAllowedIsRefused();
    void defaultOriginsAreLoopbackPages();
    void hostCheckedAgainstRebinding();
    void nonLoopbackNeedsToken();
    void clientGoneMidUploadStoresNothing();
    void loadsDuringASave();
    void weightsAreOfTheVersionModelJsonDescribed();

private:
    void start(ServeOptions options = {});
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body = {},
                const Headers &headers = {});
    Answer save(const QString &path, const QByteArray &weights = kWeights, const Headers &headers = {},
                const QByteArray &method = "POST");
    Answer finish(QNetworkReply *reply);
    // A request written as given on a plain socket; returns what came back until the server
    // closed or was silent for `waitMs`.
    QByteArray raw(const QByteArray &request, int waitMs = 30000);
    QByteArray port() const { return QByteArray::number(m_server->url().port()); }
    std::vector<StoredModel> models();
    QByteArray storedWeights(const QString &path);
    int trashSize();

    std::unique_ptr<QTemporaryDir> m_dir;
    HandlerOptions m_handlerOptions;
    std::unique_ptr<ModelServer> m_server;
    QNetworkAccessManager m_network;
    QStringList m_stored;
    QStringList m_messages;
};

void TestModelServer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_handlerOptions.storeDir = m_dir->path();
    m_stored.clear();
    m_messages.clear();
    start();
}

void TestModelServer::cleanup()
{
    m_server.reset();
}

void TestModelServer::start(ServeOptions options)
{
    m_server = std::make_unique<ModelServer>();
    connect(m_server.get(), &ModelServer::modelStored, this,
            [this](const QString &url, const ModelArtifactsInfo &) { m_stored << url; });
    connect(m_server.get(), &ModelServer::message, this, [this](const QString &line) { m_messages << line; });
    auto url = m_server->start(options, m_handlerOptions);
    QVERIFY2(url, qPrintable(url ? QString() : url.error().toString()));
    QVERIFY(url->toString().startsWith(QStringLiteral("http://127.0.0.1:")));
    QVERIFY(url->port() > 0);
}

Answer TestModelServer::finish(QNetworkReply *reply)
{
    QSignalSpy done(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(60000);
    Answer answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.error = reply->error();
    answer.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return answer;
}

Answer TestModelServer::send(const QByteArray &method, const QString &path, const QByteArray &body,
                             const Headers &headers)
{
    QNetworkRequest request(QUrl(m_server->url().toString(QUrl::StripTrailingSlash) + path,
                                 QUrl::StrictMode));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    return finish(m_network.sendCustomRequest(request, method, body));
}

Answer TestModelServer::save(const QString &path, const QByteArray &weights, const Headers &headers,
                             const QByteArray &method)
{
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    multipart->append(filePart("model.json", "application/json", kJson));
    multipart->append(filePart("model.weights.bin", "application/octet-stream", weights));
    QNetworkRequest request(QUrl(m_server->url().toString(QUrl::StripTrailingSlash) + path));
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, multipart);
    multipart->setParent(reply);
    return finish(reply);
}

QByteArray TestModelServer::raw(const QByteArray &request, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, quint16(m_server->url().port()));
    if (!socket.waitForConnected(waitMs))
        return "not connected";
    socket.write(request);
    QByteArray answer;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(waitMs))
        answer += socket.readAll();
    return answer + socket.readAll();
}

std::vector<StoredModel> TestModelServer::models()
{
    const HandlerRegistry registry = makeDefaultRegistry(m_handlerOptions);
    auto listed = ModelManager(registry).listModels(QStringLiteral("indexeddb"));
    return listed ? *listed : std::vector<StoredModel>{};
}

QByteArray TestModelServer::storedWeights(const QString &path)
{
    const HandlerRegistry registry = makeDefaultRegistry(m_handlerOptions);
    JobContext ctx;
    auto loaded = registry.load(QStringLiteral("indexeddb://") + path, ctx);
    if (!loaded)
        return {};
    auto bytes = loaded->weightData.readAll();
    return bytes ? *bytes : QByteArray();
}

int TestModelServer::trashSize()
{
    const HandlerRegistry registry = makeDefaultRegistry(m_handlerOptions);
    auto trash = ModelManager(registry).listTrash(QStringLiteral("indexeddb"));
    return trash ? int(trash->size()) : -1;
}

void TestModelServer::listsAndLoadsWhatItSaves()
{
    Answer listed = send("GET", QStringLiteral("/models"));
    QCOMPARE(listed.status, 200);
    QCOMPARE(listed.body, QByteArray("{}"));
    QVERIFY(listed.header("Connection").toLower() != "close"); // kept alive for the weights

    Answer saved = save(QStringLiteral("/models/my%20model/v1"));
    QCOMPARE(saved.status, 200);
    QVERIFY(saved.json()["url"] == "indexeddb://my model/v1");
    QVERIFY(saved.json()["modelArtifactsInfo"]["weightDataBytes"] == 8);
    QCOMPARE(storedWeights(QStringLiteral("my model/v1")), kWeights);
    QTRY_COMPARE(m_stored, QStringList{QStringLiteral("indexeddb://my model/v1")});

    listed = send("GET", QStringLiteral("/models"));
    QCOMPARE(listed.status, 200);
    QVERIFY(listed.json().contains("indexeddb://my model/v1"));
    QVERIFY(listed.json()["indexeddb://my model/v1"]["weightDataBytes"] == 8);

    Answer json = send("GET", QStringLiteral("/models/my%20model/v1/model.json"));
    QCOMPARE(json.status, 200);
    QCOMPARE(json.header("Content-Type"), QByteArray("application/json"));
    const QString weightsName = weightsPathOf(json);
    QVERIFY2(isTaggedWeightsName(weightsName), qPrintable(weightsName));
    QVERIFY(json.json()["weightsManifest"][0]["weights"][0]["name"] == "w");
    QVERIFY(json.json()["format"] == "layers-model");
    for (const QString &name : {weightsName, QStringLiteral("model.weights.bin")}) {
        Answer weights = send("GET", QStringLiteral("/models/my%20model/v1/") + name);
        QCOMPARE(weights.status, 200);
        QCOMPARE(weights.header("Content-Type"), QByteArray("application/octet-stream"));
        QCOMPARE(weights.body, kWeights);
    }

    Answer missing = send("GET", QStringLiteral("/models/nope/model.json"));
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.message(), QStringLiteral("Cannot find model with path 'nope' in IndexedDB."));
}

void TestModelServer::putSavesToo()
{
    Answer saved = save(QStringLiteral("/models/p"), kWeights, {}, "PUT");
    QCOMPARE(saved.status, 200);
    QCOMPARE(storedWeights(QStringLiteral("p")), kWeights);
}

void TestModelServer::takenPathIs409UnlessOverwrite()
{
    QCOMPARE(save(QStringLiteral("/models/m")).status, 200);
    Answer refused = save(QStringLiteral("/models/m"), kOtherWeights);
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.message(), QStringLiteral("The store already holds a model at 'm'; add "
                                               "?overwrite=1 to replace it (the old one goes to "
                                               "the store's trash)."));
    QCOMPARE(storedWeights(QStringLiteral("m")), kWeights);
    QCOMPARE(trashSize(), 0);

    Answer replaced = save(QStringLiteral("/models/m?overwrite=1"), kOtherWeights);
    QCOMPARE(replaced.status, 200);
    QCOMPARE(storedWeights(QStringLiteral("m")), kOtherWeights);
    QCOMPARE(trashSize(), 1); // the old one, as every replace in the product
}

void TestModelServer::deleteNeedsToken()
{
    QCOMPARE(save(QStringLiteral("/models/d")).status, 200);
    Answer refused = send("DELETE", QStringLiteral("/models/d"));
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.message(), QStringLiteral("Removing a model needs a token: start the server "
                                               "with --token and send 'Authorization: Bearer "
                                               "<token>'."));
    QCOMPARE(models().size(), size_t(1));

    ServeOptions options;
    options.token = QStringLiteral("s3cret");
    start(options);
    Answer without = send("DELETE", QStringLiteral("/models/d"));
    QCOMPARE(without.status, 401);
    QCOMPARE(without.header("WWW-Authenticate"), QByteArray("Bearer"));
    QCOMPARE(without.message(), QStringLiteral("This server needs 'Authorization: Bearer <token>' for writes."));
    Answer wrong = send("DELETE", QStringLiteral("/models/d"), {}, {{"Authorization", "Bearer s3creT"}});
    QCOMPARE(wrong.status, 401);
    QCOMPARE(wrong.message(), QStringLiteral("The Authorization header does not hold this server's token."));
    QCOMPARE(models().size(), size_t(1));

    Answer removed = send("DELETE", QStringLiteral("/models/d"), {}, {{"Authorization", "Bearer s3cret"}});
    QCOMPARE(removed.status, 200);
    QVERIFY(removed.json()["url"] == "indexeddb://d");
    QCOMPARE(models().size(), size_t(0));
    QCOMPARE(trashSize(), 1);
    Answer again = send("DELETE", QStringLiteral("/models/d"), {}, {{"Authorization", "Bearer s3cret"}});
    QCOMPARE(again.status, 404);
}

void TestModelServer::writesNeedTheTokenWhenSet()
{
    const QString token = QStringLiteral("s3cret-T0ken");
    ServeOptions options;
    options.token = token;
    start(options);
    QStringList said; // everything the server reports (the CLI prints these lines)
    connect(m_server.get(), &ModelServer::requestFailed, this,
            [&said](const QString &what, int status) { said << QString::number(status) + what; });
    const Answer refused = save(QStringLiteral("/models/w"));
    QCOMPARE(refused.status, 401);
    const Answer wrong = save(QStringLiteral("/models/w"), kWeights, {{"Authorization", "Bearer wr0ng-Guess"}});
    QCOMPARE(wrong.status, 401);
    QCOMPARE(models().size(), size_t(0));
    QCOMPARE(save(QStringLiteral("/models/w"), kWeights, {{"Authorization", "Bearer " + token.toUtf8()}}).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/models/w/model.weights.bin")).body, kWeights); // reads need none
    // Neither the token nor a wrong guess is echoed in an answer or reported.
    said << m_messages << QString::fromUtf8(refused.body) << QString::fromUtf8(wrong.body);
    QVERIFY(said.size() >= 3);
    for (const QString &line : std::as_const(said)) {
        QVERIFY2(!line.contains(token) && !line.contains(QStringLiteral("wr0ng-Guess")), qPrintable(line));
    }
}

void TestModelServer::modelJsonOverTheLimitIs413()
{
    // The model.json part is kept in memory: over its limit (64 MiB by default) the upload is
    // refused, whatever the body limit, and nothing is stored.
    ServeOptions options;
    options.jsonLimit = 4096;
    start(options);
    QVERIFY(kJson.size() < 4096);
    QCOMPARE(save(QStringLiteral("/models/small")).status, 200);
    QByteArray big = kJson;
    big.insert(1, QByteArray(8192, ' ')); // the same JSON, 12 KiB
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    multipart->append(filePart("model.json", "application/json", big));
    multipart->append(filePart("model.weights.bin", "application/octet-stream", kWeights));
    QNetworkReply *reply = m_network.post(
        QNetworkRequest(QUrl(m_server->url().toString(QUrl::StripTrailingSlash) + QStringLiteral("/models/big"))),
        multipart);
    multipart->setParent(reply);
    const Answer refused = finish(reply);
    QCOMPARE(refused.status, 413);
    QCOMPARE(refused.message(), QStringLiteral("The part 'model.json' is larger than the server's limit of 4096 bytes."));
    QCOMPARE(models().size(), size_t(1));
    QCOMPARE(models().front().path, QStringLiteral("small"));
}

void TestModelServer::connectionsOverTheLimitWait()
{
    // Two connections at most: a third client is not served while two idle ones hold the
    // server, and is once one of them goes.
    ServeOptions options;
    options.connectionLimit = 2;
    start(options);
    std::vector<std::unique_ptr<QTcpSocket>> idle;
    for (int i = 0; i < 2; ++i) {
        idle.push_back(std::make_unique<QTcpSocket>());
        idle.back()->connectToHost(QHostAddress::LocalHost, quint16(m_server->url().port()));
        QVERIFY(idle.back()->waitForConnected(30000));
    }
    const QByteArray request = "GET /models HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                               + "\r\nConnection: close\r\n\r\n";
    QTest::qWait(200); // the server has taken both
    const QByteArray third = raw(request, 2000);
    QVERIFY2(!third.startsWith("HTTP/1.1 200"), third.constData());
    idle.front()->disconnectFromHost();
    idle.front().reset();
    // The server frees the slot when it sees the close: try again for a while (each try is a
    // new connection, so the check must not be repeated as QTRY_VERIFY would).
    QByteArray served;
    QElapsedTimer waited;
    waited.start();
    while (!(served = raw(request)).startsWith("HTTP/1.1 200") && waited.elapsed() < 10000)
        QTest::qWait(50);
    QVERIFY2(served.endsWith("{}"), served.constData());
}

void TestModelServer::bodyOverTheLimitIs413()
{
    ServeOptions options;
    options.bodyLimit = 4096;
    start(options);
    // QNetworkAccessManager sends no "Expect: 100-continue": the body is drained, then 413.
    Answer refused = save(QStringLiteral("/models/big"), QByteArray(8192, 'x'));
    QCOMPARE(refused.status, 413);
    QVERIFY2(refused.message().startsWith(QStringLiteral("The request body (")), qPrintable(refused.message()));
    QVERIFY(refused.message().endsWith(QStringLiteral("bytes) is larger than the server's limit of 4096 bytes.")));
    QCOMPARE(models().size(), size_t(0));
    // A client that waits for "100 Continue" gets the 413 at once and sends no body.
    const QByteArray early = raw("POST /models/big HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                                 + "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                                   "Content-Length: 100000\r\nExpect: 100-continue\r\n\r\n");
    QVERIFY2(early.startsWith("HTTP/1.1 413 "), early.constData());
    QVERIFY(!early.contains("100 Continue"));
    QVERIFY(early.contains("The request body (100000 bytes) is larger than the server's limit of 4096 bytes."));
    // A chunked body (no length declared) is cut off once it passes the limit.
    const QByteArray chunk = QByteArray(3000, 'x');
    const QByteArray chunked = raw("POST /models/big HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                                   + "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                   + "bb8\r\n" + chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n");
    QVERIFY2(chunked.startsWith("HTTP/1.1 413 "), chunked.constData());
    QVERIFY(chunked.contains("The request body is larger than the server's limit of 4096 bytes."));
    QCOMPARE(models().size(), size_t(0));
    QCOMPARE(save(QStringLiteral("/models/small")).status, 200); // the server is still up
}

void TestModelServer::malformedUploads_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<QString>("message");
    const QByteArray type = "multipart/form-data; boundary=XyZ";
    const auto part = [](const QByteArray &name, const QByteArray &bytes) -> QByteArray {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
               + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + bytes + "\r\n";
    };
    const QByteArray end = "--XyZ--\r\n";
    QTest::newRow("not multipart") << kJson << QByteArray("application/json")
                                   << QStringLiteral("A save's body must be multipart/form-data with "
                                                     "the parts model.json and model.weights.bin "
                                                     "(TF.js's http handler).");
    QTest::newRow("no closing boundary")
        << QByteArray(part("model.json", kJson) + "--XyZ\r\nContent-Disposition: form-data; name=\"model.weights.bin\"\r\n\r\n1234")
        << type
        << QStringLiteral("The multipart/form-data body is truncated or malformed (no closing boundary).");
    QTest::newRow("no model.json") << QByteArray(part("model.weights.bin", kWeights) + end) << type
                                   << QStringLiteral("The upload has no 'model.json' part (TF.js's http "
                                                     "handler sends model.json and model.weights.bin "
                                                     "as multipart/form-data).");
    QTest::newRow("unknown part") << QByteArray(part("model.json", kJson) + part("evil", "x") + end) << type
                                  << QStringLiteral("The upload has a part 'evil'; TF.js sends only "
                                                    "'model.json' and 'model.weights.bin'.");
    QTest::newRow("part twice")
        << QByteArray(part("model.json", kJson) + part("model.weights.bin", kWeights)
                      + part("model.weights.bin", kWeights) + end)
        << type << QStringLiteral("The upload has the part 'model.weights.bin' twice.");
    QTest::newRow("weights too short")
        << QByteArray(part("model.json", kJson) + part("model.weights.bin", "1234") + end) << type
        << QStringLiteral("The manifest of model.json describes 8 bytes of weights, but the part "
                          "'model.weights.bin' has 4 bytes.");
    QTest::newRow("weights missing") << QByteArray(part("model.json", kJson) + end) << type
                                     << QStringLiteral("The manifest of model.json describes 8 bytes "
                                                       "of weights, but the part 'model.weights.bin' "
                                                       "has 0 bytes.");
    QTest::newRow("invalid JSON")
        << QByteArray(part("model.json", "{\"modelTopology\": ") + end) << type
        << QStringLiteral("Invalid JSON in indexeddb://bad (part model.json) at byte 18: syntax error while "
                          "parsing value - unexpected end of input; expected '[', '{', or a literal.");
}

void TestModelServer::malformedUploads()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(QString, message);
    Answer refused = send("POST", QStringLiteral("/models/bad"), body, {{"Content-Type", contentType}});
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.message(), message);
    QCOMPARE(models().size(), size_t(0));
    QVERIFY(m_stored.isEmpty());
}

void TestModelServer::traversalRefused()
{
    ServeOptions options;
    options.token = QStringLiteral("t");
    start(options);
    const Headers auth = {{"Authorization", "Bearer t"}};
    QCOMPARE(save(QStringLiteral("/models/a"), kWeights, auth).status, 200);
    QCOMPARE(save(QStringLiteral("/models/b"), kWeights, auth).status, 200);
    // MHD's own unescaping cut this at %00: the DELETE would have removed 'a'.
    // Sent byte for byte (QNetworkAccessManager would remove the dot segments first).
    const QByteArray nul = raw("DELETE /models/a%00/../b HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                               + "\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n");
    QVERIFY2(nul.startsWith("HTTP/1.1 400 "), nul.constData());
    QVERIFY(nul.contains("The model path segment 'a%00' is refused: it holds a NUL or another "
                         "control character."));
    const QByteArray dots = raw("DELETE /models/x/%2E%2E/b HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                                + "\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n");
    QVERIFY2(dots.startsWith("HTTP/1.1 400 "), dots.constData());
    const QByteArray plain = raw("DELETE /models/x/../b HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                                 + "\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n");
    QVERIFY2(plain.startsWith("HTTP/1.1 400 "), plain.constData());
    Answer slash = send("DELETE", QStringLiteral("/models/x%2F..%2Fb"), {}, auth);
    QCOMPARE(slash.status, 400);
    QCOMPARE(models().size(), size_t(2));
    QCOMPARE(trashSize(), 0);
}

void TestModelServer::preflightAnswersTfjsHeaders()
{
    const QByteArray page = "http://127.0.0.1:9";
    Answer preflight = send("OPTIONS", QStringLiteral("/models/x"), {},
                            {{"Origin", page},
                             {"Access-Control-Request-Method", "PUT"},
                             {"Access-Control-Request-Headers", "authorization,content-type,x-other"}});
    QCOMPARE(preflight.status, 204);
    QCOMPARE(preflight.header("Access-Control-Allow-Origin"), page);
    QCOMPARE(preflight.header("Access-Control-Allow-Methods"), QByteArray("GET, HEAD, POST, PUT, DELETE, OPTIONS"));
    QCOMPARE(preflight.header("Access-Control-Allow-Headers"), QByteArray("authorization, content-type"));
    QCOMPARE(preflight.header("Access-Control-Max-Age"), QByteArray("600"));
    QCOMPARE(preflight.header("Vary"), QByteArray("Origin"));
    Answer listed = send("GET", QStringLiteral("/models"), {}, {{"Origin", page}});
    QCOMPARE(listed.header("Access-Control-Allow-Origin"), page);
}

void TestModelServer::originNotAllowedIsRefused()
{
    ServeOptions options;
    options.allowedOrigins = {QStringLiteral("http://good.test")};
    start(options);
    const QByteArray evil = "http://evil.test";
    // A multipart POST is a "simple" request: a browser sends it without a preflight.
    Answer refused = save(QStringLiteral("/models/x"), kWeights, {{"Origin", evil}});
    QCOMPARE(refused.status, 403);
    QCOMPARE(refused.message(), QStringLiteral("The origin 'http://evil.test' may not use this server "
                                               "(allowed: --allow-origin)."));
    QVERIFY(refused.header("Access-Control-Allow-Origin").isEmpty());
    QCOMPARE(models().size(), size_t(0));
    Answer preflight = send("OPTIONS", QStringLiteral("/models/x"), {}, {{"Origin", evil}});
    QCOMPARE(preflight.status, 403);
    QVERIFY(preflight.header("Access-Control-Allow-Origin").isEmpty());
    Answer good = save(QStringLiteral("/models/x"), kWeights, {{"Origin", "http://good.test"}});
    QCOMPARE(good.status, 200);
    QCOMPARE(good.header("Access-Control-Allow-Origin"), QByteArray("http://good.test"));
}

void TestModelServer::defaultOriginsAreLoopbackPages()
{
    // No --allow-origin, bound to 127.0.0.1: a page from any other site is refused before a
    // byte is stored (its multipart POST needs no preflight); "null" (file://, but also any
    // site's sandboxed iframe) too.
    for (const QByteArray &origin : {QByteArray("https://example.com"), QByteArray("null"),
                                    QByteArray("http://localhost.example.com:8080")}) {
        Answer refused = save(QStringLiteral("/models/x"), kWeights, {{"Origin", origin}});
        QCOMPARE(refused.status, 403);
        QCOMPARE(refused.message(), QStringLiteral("The origin '%1' may not use this server "
                                                   "(allowed: --allow-origin).")
                                        .arg(QString::fromLatin1(origin)));
        QCOMPARE(send("GET", QStringLiteral("/models"), {}, {{"Origin", origin}}).status, 403);
    }
    QCOMPARE(models().size(), size_t(0));
    QVERIFY(m_stored.isEmpty());
    // Pages served from loopback themselves, any port; and requests that are no page's.
    Answer local = save(QStringLiteral("/models/a"), kWeights, {{"Origin", "http://localhost:3000"}});
    QCOMPARE(local.status, 200);
    QCOMPARE(local.header("Access-Control-Allow-Origin"), QByteArray("http://localhost:3000"));
    QCOMPARE(save(QStringLiteral("/models/b"), kWeights, {{"Origin", "http://127.0.0.1:8000"}}).status, 200);
    QCOMPARE(save(QStringLiteral("/models/c"), kWeights, {{"Origin", "http://[::1]:5173"}}).status, 200);
    QCOMPARE(save(QStringLiteral("/models/d")).status, 200);
    QCOMPARE(models().size(), size_t(4));
    // --allow-origin '*': any site, as before.
    ServeOptions any;
    any.allowedOrigins = {QStringLiteral("*")};
    start(any);
    Answer listed = save(QStringLiteral("/models/e"), kWeights, {{"Origin", "https://example.com"}});
    QCOMPARE(listed.status, 200);
    QCOMPARE(listed.header("Access-Control-Allow-Origin"), QByteArray("https://example.com"));
}

void TestModelServer::hostCheckedAgainstRebinding()
{
    const QByteArray port = QByteArray::number(m_server->url().port());
    Answer rebound = save(QStringLiteral("/models/x"), kWeights, {{"Host", "evil.test:" + port}});
    QCOMPARE(rebound.status, 403);
    QCOMPARE(rebound.message(), QStringLiteral("The Host 'evil.test:%1' is not this server's address "
                                               "(DNS rebinding guard).")
                                    .arg(QString::fromLatin1(port)));
    QCOMPARE(models().size(), size_t(0));
    QCOMPARE(send("GET", QStringLiteral("/models"), {}, {{"Host", "localhost:" + port}}).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/models"), {}, {{"Host", "localhost:1"}}).status, 403);
}

void TestModelServer::nonLoopbackNeedsToken()
{
    ServeOptions options;
    options.bind = QHostAddress(QStringLiteral("0.0.0.0"));
    ModelServer server;
    auto refused = server.start(options, m_handlerOptions);
    QVERIFY(!refused);
    QCOMPARE(refused.error().message, QStringLiteral("Serving on 0.0.0.0 (not loopback) needs a token: "
                                                     "every write must then send 'Authorization: "
                                                     "Bearer <token>'."));
    QVERIFY(!server.isServing());
}

void TestModelServer::clientGoneMidUploadStoresNothing()
{
    const QByteArray head = "--XyZ\r\nContent-Disposition: form-data; name=\"model.json\"; "
                            "filename=\"model.json\"\r\nContent-Type: application/json\r\n\r\n"
                            + kJson
                            + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"model.weights.bin\"; "
                              "filename=\"model.weights.bin\"\r\n\r\n";
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(m_server->url().port()));
        QVERIFY(socket.waitForConnected(30000));
        socket.write("POST /models/gone HTTP/1.1\r\nHost: 127.0.0.1:" + port()
                     + "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                       "Content-Length: 1000000\r\n\r\n"
                     + head + QByteArray(4096, 'w'));
        QVERIFY(socket.waitForBytesWritten(30000));
        socket.abort(); // gone before the body's end
    }
    // MHD says the connection broke; we say what that means for the upload.
    const auto ended = [this] {
        return m_messages.filter(QStringLiteral("POST /models/gone: the upload ended after "));
    };
    QTRY_COMPARE_WITH_TIMEOUT(ended().size(), 1, 60000);
    QVERIFY2(ended().front().endsWith(QStringLiteral(" bytes, before its body did (the client left); "
                                                     "nothing stored.")),
             qPrintable(ended().front()));
    QCOMPARE(save(QStringLiteral("/models/next")).status, 200); // still serving
    std::vector<StoredModel> stored = models();
    QCOMPARE(stored.size(), size_t(1));
    QCOMPARE(stored.front().path, QStringLiteral("next"));
    QCOMPARE(m_stored, QStringList{QStringLiteral("indexeddb://next")});
    // The weights went to an unnamed file: the store holds one blob, that of 'next', and
    // nothing else beside its database.
    QStringList files;
    QDirIterator it(m_dir->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << QDir(m_dir->path()).relativeFilePath(it.next());
    files.removeIf([](const QString &file) { return file.startsWith(QStringLiteral("tensorflowjs.sqlite")); });
    QCOMPARE(files.size(), 1);
    QVERIFY2(files.front().startsWith(QStringLiteral("tensorflowjs.blobs/")), qPrintable(files.front()));
}

void TestModelServer::loadsDuringASave()
{
    QCOMPARE(save(QStringLiteral("/models/small")).status, 200);
    // 64 MiB of weights being stored while 50 clients (each its own connection) load 'small'.
    const qint64 count = 16 << 20;
    QByteArray json = kJson;
    json.replace("\"shape\":[2]", QByteArray("\"shape\":[" + QByteArray::number(count) + "]"));
    QByteArray big(count * 4, Qt::Uninitialized);
    for (qint64 i = 0; i < big.size(); ++i)
        big[i] = char(i * 7);
    auto *multipart = new QHttpMultiPart(QHttpMultiPart::FormDataType);
    multipart->append(filePart("model.json", "application/json", json));
    multipart->append(filePart("model.weights.bin", "application/octet-stream", big));
    QNetworkReply *saving = m_network.post(
        QNetworkRequest(QUrl(m_server->url().toString() + QStringLiteral("models/big"))), multipart);
    multipart->setParent(saving);

    std::vector<std::unique_ptr<QNetworkAccessManager>> clients;
    std::vector<QNetworkReply *> loads;
    for (int i = 0; i < 50; ++i) {
        clients.push_back(std::make_unique<QNetworkAccessManager>());
        const QString file = i % 2 ? QStringLiteral("model.json") : QStringLiteral("model.weights.bin");
        loads.push_back(clients.back()->get(
            QNetworkRequest(QUrl(m_server->url().toString() + QStringLiteral("models/small/") + file))));
    }
    for (QNetworkReply *load : loads) {
        const bool weights = load->url().path().endsWith(QStringLiteral(".bin"));
        Answer answer = finish(load);
        QCOMPARE(answer.status, 200);
        if (weights)
            QCOMPARE(answer.body, kWeights);
        else
            QVERIFY(isTaggedWeightsName(weightsPathOf(answer)));
    }
    Answer saved = finish(saving);
    QCOMPARE(saved.status, 200);
    QCOMPARE(storedWeights(QStringLiteral("big")), big);
}

void TestModelServer::weightsAreOfTheVersionModelJsonDescribed()
{
    // A model replaced or removed between the GET of its model.json and of its weights: the
    // weights are those of the version model.json described, never new ones under an old JSON.
    ServeOptions options;
    options.token = QStringLiteral("s3cret");
    start(options);
    const Headers token{{"Authorization", "Bearer s3cret"}};
    QCOMPARE(save(QStringLiteral("/models/m"), kWeights, token).status, 200);
    const Answer first = send("GET", QStringLiteral("/models/m/model.json"));
    QCOMPARE(first.status, 200);
    QCOMPARE(save(QStringLiteral("/models/m?overwrite=1"), kOtherWeights, token).status, 200);
    const Answer second = send("GET", QStringLiteral("/models/m/model.json"));
    QVERIFY(weightsPathOf(first) != weightsPathOf(second));
    QCOMPARE(send("GET", QStringLiteral("/models/m/") + weightsPathOf(first)).body, kWeights);
    QCOMPARE(send("GET", QStringLiteral("/models/m/") + weightsPathOf(second)).body, kOtherWeights);
    QCOMPARE(send("GET", QStringLiteral("/models/m/model.weights.bin")).body, kOtherWeights); // the current one
    QCOMPARE(send("DELETE", QStringLiteral("/models/m"), {}, token).status, 200);
    QCOMPARE(send("GET", QStringLiteral("/models/m/") + weightsPathOf(second)).body, kOtherWeights);
    QCOMPARE(send("GET", QStringLiteral("/models/m/model.weights.bin")).status, 404);
    // Found by their hash while the trash holds them; once it is emptied, 410.
    QCOMPARE(send("GET", QStringLiteral("/models/m/") + weightsPathOf(first)).body, kWeights);
    const HandlerRegistry registry = makeDefaultRegistry(m_handlerOptions);
    QVERIFY(ModelManager(registry).emptyTrash(QStringLiteral("indexeddb"), {}));
    const Answer emptied = send("GET", QStringLiteral("/models/m/") + weightsPathOf(first));
    QCOMPARE(emptied.status, 410);
    QVERIFY2(emptied.message().contains(QStringLiteral("are no longer in the store")), qPrintable(emptied.message()));
    // A tag no model.json gave (or one dropped: 16 kept, 10 minutes) is 410.
    const Answer gone = send("GET", QStringLiteral("/models/m/model.weights.0123456789abcdef.bin"));
    QCOMPARE(gone.status, 410);
    QCOMPARE(gone.message(), QStringLiteral("The weights model.weights.0123456789abcdef.bin of 'm' are "
                                            "no longer kept (the server keeps those of the last 16 "
                                            "model.json requests for 10 minutes); load its model.json "
                                            "again."));
}

QTEST_GUILESS_MAIN(TestModelServer)
#include "tst_modelserver.moc"
