// http(s):// against real servers started on 127.0.0.1 with a free port:
//  - the Flask app tests/http/upload_server.py (shaped like TF.js's upload example): an upload
//    through HttpHandler arrives as the parts "model.json" and "model.weights.bin" with TF.js's
//    file names and types, and the model served back loads with the same bytes; the CLI shows
//    the answers Flask gives before reading the body and its redirects as they are, directly
//    and through squid (http_proxy);
//  - `python3 -m http.server --bind 127.0.0.1` serving a multi-shard, two-group model with
//    mixed dtypes: loading over HTTP gives the same artifacts, decoded weights and `info` as
//    loading from disk; `tfjs-model copy URL DIR` equals `copy PATH DIR`.
#include "../http/testservers.h"
#include "tst_http_fixtures.h"

#include "format/codec.h"
#include "file/filehandler.h"
#include "http/httphandler.h"
#include "format/modeloverview.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>

using namespace tfjs;

namespace {

const QString kCli = QStringLiteral(TFJS_BIN_DIR "/tfjs-model");

struct CliRun
{
    int exitCode = -1;
    QString out;
    QString err;
};

// Runs the CLI on a worker (QProcess::waitForFinished blocks only this test's thread, and
// the servers are separate processes), through `proxy` (http_proxy) when given.
CliRun runCli(const QStringList &args, const QString &proxy = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : { QStringLiteral("http_proxy"), QStringLiteral("https_proxy"),
             QStringLiteral("no_proxy"), QStringLiteral("NO_PROXY") })
        env.remove(name);
    if (!proxy.isEmpty())
        env.insert(QStringLiteral("http_proxy"), proxy);
    process.setProcessEnvironment(env);
    process.start(kCli, args);
    CliRun run;
    if (!process.waitForFinished(120000))
        return run;
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

QByteArray f32(std::initializer_list<float> values)
{
    QByteArray out(qsizetype(values.size() * 4), Qt::Uninitialized);
    std::memcpy(out.data(), values.begin(), values.size() * 4);
    return out;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// A layers model with two groups and five shards cut inside elements; float32, int32, bool,
// string and uint8-quantized weights; non-ASCII metadata. Returns the folder's model.json.
QString writeMultiShardModel(const QString &dir)
{
    QByteArray kernel;
    for (int i = 0; i < 100; ++i)
        kernel += f32({float(i) * 0.25f - 3.0f});
    QByteArray ids(28, Qt::Uninitialized);
    for (int i = 0; i < 7; ++i) {
        const std::int32_t v = (i - 3) * 1000003;
        std::memcpy(ids.data() + i * 4, &v, 4);
    }
    const QByteArray flags("\x01\x00\x01\x01\x00", 5);
    const auto str = [](const QByteArray &s) {
        QByteArray out(4, '\0');
        const std::uint32_t n = std::uint32_t(s.size());
        std::memcpy(out.data(), &n, 4);
        out.append(s);
        return out;
    };
    const QByteArray names = str("a") + str("\xc3\xbcn\xc3\xaf") + str("");
    const QByteArray quantized("\x00\x30\xff\x0a", 4);
    const QByteArray group1 = kernel + ids + flags; // 433 bytes
    const QByteArray group2 = names + quantized;    // 22 bytes

    const QByteArray json = R"({"modelTopology":{"class_name":"Sequential","config":{"name":"multi","layers":[]},"keras_version":"tfjs-layers 4.22.0","backend":"tensor_flow.js"},"format":"layers-model","generatedBy":"TensorFlow.js tfjs-layers v4.22.0","convertedBy":null,"weightsManifest":[)"
        R"({"paths":["group1-shard1of3.bin","group1-shard2of3.bin","group1-shard3of3.bin"],"weights":[{"name":"dense/kernel","shape":[10,10],"dtype":"float32"},{"name":"ids","shape":[7],"dtype":"int32"},{"name":"flags","shape":[5],"dtype":"bool"}]},)"
        R"({"paths":["g2/group2-shard1of2.bin","g2/group2-shard2of2.bin"],"weights":[{"name":"names","shape":[3],"dtype":"string"},{"name":"q","shape":[4],"dtype":"float32","quantization":{"dtype":"uint8","min":-1,"scale":0.1}}]}],)"
        R"("userDefinedMetadata":{"note":"Ünïcödé ✓","lr":1e-7}})";
    if (!writeFile(dir + QStringLiteral("/model.json"), json)
        || !writeFile(dir + QStringLiteral("/group1-shard1of3.bin"), group1.left(201))
        || !writeFile(dir + QStringLiteral("/group1-shard2of3.bin"), group1.mid(201, 202))
        || !writeFile(dir + QStringLiteral("/group1-shard3of3.bin"), group1.mid(403))
        || !writeFile(dir + QStringLiteral("/g2/group2-shard1of2.bin"), group2.left(7))
        || !writeFile(dir + QStringLiteral("/g2/group2-shard2of2.bin"), group2.mid(7)))
        return {};
    return dir + QStringLiteral("/model.json");
}

Result<ModelArtifacts> loadVia(IOHandler &handler, LoadOptions options = {})
{
    return httptest::runJob<ModelArtifacts>(
        [&](JobContext &ctx) { return handler.load(ctx, options); });
}

QString dropFirstLine(const QString &text)
{
    return text.mid(text.indexOf(QLatin1Char('\n')) + 1);
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestHttpServers : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void flaskReceivesTfjsParts();
    void flaskServesBackTheSameModel();
    void staticServerMatchesDisk();
    void cliInfoAndCopyMatchDisk();
    void cliCopyOfBrokenModelWritesNothing();
    void cliUploadPrintsStatusAndBody_data();
    void cliUploadPrintsStatusAndBody();
    void cliUploadErrorExitsOne();
    void cliShowsEarlyAnswers_data();
    void cliShowsEarlyAnswers();
    void cliRedirectedUpload_data();
    void cliRedirectedUpload();
    void refusesTheMainThread();

private:
    QTemporaryDir m_dir;
    httptest::UploadServer m_flask;
    httptest::SquidProxy m_squid;
    QProcess m_static;
    QString m_flaskBase;  // http://127.0.0.1:<port>
    QString m_staticBase;
    QString m_modelJson; // the multi-shard model on disk
    QString m_largeJson; // 8 MiB of weights
    QString m_uploadedId;
};

void TestHttpServers::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_modelJson = writeMultiShardModel(m_dir.filePath(QStringLiteral("www/multi")));
    QVERIFY(!m_modelJson.isEmpty());
    m_largeJson = httptest::writeLargeModel(m_dir.filePath(QStringLiteral("large")), 8 << 20);
    QVERIFY(!m_largeJson.isEmpty());

    const QString flask = m_flask.start(m_dir.filePath(QStringLiteral("storage")));
    QVERIFY2(flask.isEmpty(), qPrintable(flask));
    m_flaskBase = m_flask.url({});
    const QString squid = m_squid.start();
    QVERIFY2(squid.isEmpty(), qPrintable(squid));
    const QString python = httptest::pythonWith(QStringLiteral("http.server"));
    QVERIFY2(!python.isEmpty(), "no python3");
    const QString port = httptest::startProcess(m_static, python,
        { QStringLiteral("-u"), QStringLiteral("-m"), QStringLiteral("http.server"),
            QStringLiteral("0"), QStringLiteral("--bind"), QStringLiteral("127.0.0.1"),
            QStringLiteral("--directory"), m_dir.filePath(QStringLiteral("www")) },
        QStringLiteral("Serving HTTP on 127\\.0\\.0\\.1 port (\\d+)"));
    QVERIFY2(!port.isEmpty(), "python3 -m http.server did not start");
    m_staticBase = QStringLiteral("http://127.0.0.1:%1").arg(port);
}

void TestHttpServers::cleanupTestCase()
{
    httptest::stopProcess(m_static);
}

void TestHttpServers::flaskReceivesTfjsParts()
{
    FileHandler disk(m_modelJson);
    auto artifacts = loadVia(disk);
    QVERIFY(artifacts);
    HttpHandler upload(m_flaskBase + QStringLiteral("/upload"), HttpOptions{});
    auto saved = httptest::runJob<SaveResult>(
        [&](JobContext &ctx) { return upload.save(*artifacts, ctx); });
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, 200);
    const QJsonObject answer = QJsonDocument::fromJson(saved->responseBody).object();
    m_uploadedId = answer.value(QStringLiteral("id")).toString();
    QVERIFY(!m_uploadedId.isEmpty());

    QFile metaFile(m_dir.filePath(QStringLiteral("storage/%1/meta.json").arg(m_uploadedId)));
    QVERIFY(metaFile.open(QIODevice::ReadOnly));
    const QJsonObject meta = QJsonDocument::fromJson(metaFile.readAll()).object();
    QCOMPARE(meta.value(QStringLiteral("method")).toString(), QStringLiteral("POST"));
    QVERIFY(meta.value(QStringLiteral("hasModelJson")).toBool());
    QVERIFY(meta.value(QStringLiteral("hasWeights")).toBool());
    const QJsonArray parts = meta.value(QStringLiteral("parts")).toArray();
    QCOMPARE(parts.size(), 2);
    const std::string json = stringify(modelJson(
        *artifacts, singleGroupManifest(*artifacts, "./model.weights.bin"), JsonLayout::Browser));
    const QByteArray weights = *artifacts->weightData.readAll();
    const struct
    {
        const char *name;
        const char *type;
        QByteArray bytes;
    } expected[] = {{"model.json", "application/json", QByteArray::fromStdString(json)},
                    {"model.weights.bin", "application/octet-stream", weights}};
    for (int i = 0; i < 2; ++i) {
        const QJsonObject part = parts[i].toObject();
        QCOMPARE(part.value(QStringLiteral("name")).toString(), QLatin1String(expected[i].name));
        QCOMPARE(part.value(QStringLiteral("filename")).toString(), QLatin1String(expected[i].name));
        QCOMPARE(part.value(QStringLiteral("contentType")).toString(), QLatin1String(expected[i].type));
        QCOMPARE(part.value(QStringLiteral("bytes")).toInteger(), qint64(expected[i].bytes.size()));
        QCOMPARE(part.value(QStringLiteral("sha256")).toString().toLatin1(), sha256(expected[i].bytes));
    }
}

void TestHttpServers::flaskServesBackTheSameModel()
{
    QVERIFY2(!m_uploadedId.isEmpty(), "the upload test failed");
    HttpHandler http(m_flaskBase + QStringLiteral("/models/%1/model.json").arg(m_uploadedId), {});
    FileHandler disk(m_modelJson);
    auto fromHttp = loadVia(http);
    auto fromDisk = loadVia(disk);
    QVERIFY2(fromHttp, qPrintable(fromHttp ? QString() : fromHttp.error().toString()));
    QVERIFY(fromDisk);
    QCOMPARE(*fromHttp->weightData.readAll(), *fromDisk->weightData.readAll());
    QCOMPARE(stringify(specsToJson(*fromHttp->weightSpecs)), stringify(specsToJson(*fromDisk->weightSpecs)));
    QCOMPARE(stringify(*fromHttp->userDefinedMetadata), stringify(*fromDisk->userDefinedMetadata));
    QCOMPARE(fromHttp->manifest->size(), std::size_t(1)); // uploads have one group
}

void TestHttpServers::staticServerMatchesDisk()
{
    HttpHandler http(m_staticBase + QStringLiteral("/multi/model.json"), {});
    FileHandler disk(m_modelJson);
    auto fromHttp = loadVia(http);
    auto fromDisk = loadVia(disk);
    QVERIFY2(fromHttp, qPrintable(fromHttp ? QString() : fromHttp.error().toString()));
    QVERIFY(fromDisk);
    const QByteArray bytes = *fromHttp->weightData.readAll();
    QCOMPARE(bytes, *fromDisk->weightData.readAll());
    QCOMPARE(bytes.size(), 455);
    QCOMPARE(int(fromHttp->weightData.segments().size()), 5);

    auto httpTensors = decodeWeights(*fromHttp->weightSpecs, bytes);
    auto diskTensors = decodeWeights(*fromDisk->weightSpecs, *fromDisk->weightData.readAll());
    QVERIFY2(httpTensors, qPrintable(httpTensors ? QString() : httpTensors.error().toString()));
    QVERIFY(diskTensors);
    QCOMPARE(httpTensors->size(), diskTensors->size());
    for (std::size_t i = 0; i < httpTensors->size(); ++i) {
        QCOMPARE((*httpTensors)[i].spec.name, (*diskTensors)[i].spec.name);
        QVERIFY((*httpTensors)[i].values == (*diskTensors)[i].values);
    }
    QCOMPARE(std::get<std::vector<std::string>>((*httpTensors)[3].values),
             (std::vector<std::string>{"a", "\xc3\xbcn\xc3\xaf", ""}));
    QCOMPARE(stringify(overviewOf(*fromHttp).toJson()), stringify(overviewOf(*fromDisk).toJson()));

    // info-style load: no weight bytes, the same overview (shard sizes from HEAD requests).
    auto headOnly = loadVia(http, LoadOptions::withoutWeights());
    QVERIFY(headOnly);
    QCOMPARE(stringify(overviewOf(*headOnly).toJson()), stringify(overviewOf(*fromDisk).toJson()));
}

void TestHttpServers::cliInfoAndCopyMatchDisk()
{
    const QString url = m_staticBase + QStringLiteral("/multi/model.json");
    const CliRun httpInfo = runCli({QStringLiteral("info"), url});
    const CliRun diskInfo = runCli({QStringLiteral("info"), m_modelJson});
    QCOMPARE(httpInfo.exitCode, 0);
    QCOMPARE(diskInfo.exitCode, 0);
    QVERIFY(httpInfo.out.startsWith(QStringLiteral("model:          ") + url + QLatin1Char('\n')));
    QCOMPARE(dropFirstLine(httpInfo.out), dropFirstLine(diskInfo.out));
    QVERIFY(httpInfo.out.contains(QStringLiteral("group 2: g2/group2-shard2of2.bin  15 bytes")));

    const CliRun httpJson = runCli({QStringLiteral("info"), QStringLiteral("--json"), url});
    const CliRun diskJson = runCli({QStringLiteral("info"), QStringLiteral("--json"), m_modelJson});
    QJsonObject a = QJsonDocument::fromJson(httpJson.out.toUtf8()).object();
    QJsonObject b = QJsonDocument::fromJson(diskJson.out.toUtf8()).object();
    QVERIFY(!a.isEmpty());
    a.remove(QStringLiteral("url"));
    b.remove(QStringLiteral("url"));
    QCOMPARE(a, b);

    const QString fromHttp = m_dir.filePath(QStringLiteral("copy-http"));
    const QString fromDisk = m_dir.filePath(QStringLiteral("copy-disk"));
    QCOMPARE(runCli({QStringLiteral("copy"), url, fromHttp}).exitCode, 0);
    QCOMPARE(runCli({QStringLiteral("copy"), m_modelJson, fromDisk}).exitCode, 0);
    for (const QString &name : {QStringLiteral("model.json"), QStringLiteral("weights.bin")}) {
        QFile x(fromHttp + QLatin1Char('/') + name);
        QFile y(fromDisk + QLatin1Char('/') + name);
        QVERIFY(x.open(QIODevice::ReadOnly) && y.open(QIODevice::ReadOnly));
        QCOMPARE(x.readAll(), y.readAll());
    }
}

// A shard missing on the server: exit 1 naming it and the status, and nothing written: no
// destination folder, no spool file left beside it.
void TestHttpServers::cliCopyOfBrokenModelWritesNothing()
{
    const QString broken = m_dir.filePath(QStringLiteral("www/broken"));
    QVERIFY(QDir().mkpath(broken));
    QVERIFY(QFile::copy(m_modelJson, broken + QStringLiteral("/model.json")));
    const auto entries = [this] {
        return QDir(m_dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot,
                                            QDir::Name);
    };
    const QStringList before = entries();
    const QString dest = m_dir.filePath(QStringLiteral("copy-broken"));
    const CliRun run = runCli({QStringLiteral("copy"), m_staticBase + QStringLiteral("/broken/model.json"), dest});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.contains(QStringLiteral("failed with status code 404")), qPrintable(run.err));
    QVERIFY2(run.err.contains(QRegularExpression(QStringLiteral("weight file '(g2/)?group\\d-shard\\dof\\d\\.bin'"))),
             qPrintable(run.err));
    QCOMPARE(entries(), before);
}

void TestHttpServers::cliUploadPrintsStatusAndBody_data()
{
    QTest::addColumn<bool>("viaProxy");
    QTest::newRow("direct") << false;
    QTest::newRow("http_proxy") << true;
}

void TestHttpServers::cliUploadPrintsStatusAndBody()
{
    QFETCH(bool, viaProxy);
    const QString url = m_flask.url(QStringLiteral("/upload"),
        viaProxy ? QLatin1String(httptest::SquidProxy::kHost) : QStringLiteral("127.0.0.1"));
    const CliRun run = runCli({ QStringLiteral("copy"), m_modelJson, url,
                                  QStringLiteral("--header"), QStringLiteral("X-Test: 42") },
        viaProxy ? m_squid.url() : QString());
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QStringList lines = run.out.trimmed().split(QLatin1Char('\n'));
    const qsizetype status = lines.indexOf(QStringLiteral("HTTP 200"));
    QVERIFY2(status >= 0, qPrintable(run.out));
    const QJsonObject body =
        QJsonDocument::fromJson(lines.mid(status + 1).join(QLatin1Char('\n')).toUtf8()).object();
    const QString id = body.value(QStringLiteral("id")).toString();
    QVERIFY2(!id.isEmpty(), qPrintable(run.out));
    QVERIFY(lines.contains(QStringLiteral("wrote ") + url));
    const QJsonObject meta = m_flask.upload(id);
    bool seen = false;
    for (const QJsonValue &header : meta.value(QStringLiteral("headers")).toArray()) {
        const QJsonArray pair = header.toArray();
        if (pair[0].toString().compare(QStringLiteral("X-Test"), Qt::CaseInsensitive) == 0)
            seen = pair[1].toString() == QStringLiteral("42");
        if (pair[0].toString().compare(QStringLiteral("Via"), Qt::CaseInsensitive) == 0)
            QVERIFY2(
                viaProxy && pair[1].toString().contains(QStringLiteral("tfjs-test-proxy (squid")),
                qPrintable(pair[1].toString()));
    }
    QVERIFY(seen);
    const QJsonArray parts = meta.value(QStringLiteral("parts")).toArray();
    QCOMPARE(parts.size(), 2);
    QCOMPARE(parts[1].toObject().value(QStringLiteral("bytes")).toInteger(), qint64(455));
    const QJsonObject logged = m_flask.requests().constLast();
    QCOMPARE(logged.value(QStringLiteral("path")).toString(), QStringLiteral("/upload"));
    QCOMPARE(
        logged.value(QStringLiteral("via")).toString().contains(QStringLiteral("squid")), viaProxy);
}

void TestHttpServers::cliUploadErrorExitsOne()
{
    // Flask answers 405 Method Not Allowed for DELETE on /upload.
    const CliRun run = runCli({QStringLiteral("copy"), m_modelJson, m_flaskBase + QStringLiteral("/upload"),
                               QStringLiteral("--method"), QStringLiteral("delete")});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.err.startsWith(QStringLiteral("tfjs-model: Saving to %1/upload failed due to HTTP "
                                               "response status 405 (METHOD NOT ALLOWED). [url: "
                                               "%1/upload, status: 405]\nResponse body: ")
                                    .arg(m_flaskBase)),
             qPrintable(run.err));
    QVERIFY2(run.err.contains(QStringLiteral("Method Not Allowed")), qPrintable(run.err));
    QVERIFY(run.out.isEmpty());

    const CliRun bad = runCli({QStringLiteral("copy"), m_modelJson, m_flaskBase + QStringLiteral("/upload"),
                               QStringLiteral("--header"), QStringLiteral("Authorization Bearer abc")});
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.err.startsWith(QStringLiteral("tfjs-model: A header must be given as 'Name: value' "
                                               "(24 characters without a name before ':' given).")),
             qPrintable(bad.err));
}

// Flask answers 401, 403, 404, 413 or 500 before reading an 8 MiB upload and closes the
// connection: the CLI prints that answer and its body and exits 1, 20 runs out of 20, directly
// and through squid; the body went out once per run. Behind squid Flask keeps the connection
// after its answer, reading nothing more (see TestHttpUpload::earlyAnswerAndClose: squid
// answers 502 for a server that resets).
void TestHttpServers::cliShowsEarlyAnswers_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("body");
    QTest::addColumn<bool>("viaProxy");
    for (bool viaProxy : { false, true }) {
        const QString via = viaProxy ? QStringLiteral(" via squid") : QString();
        // Werkzeug writes reason phrases in capitals; squid sends its own.
        const struct
        {
            int status;
            const char *reason;
            const char *squidReason;
            const char *body;
        } answers[] = { { 401, "UNAUTHORIZED", "Unauthorized", "a valid token is needed" },
            { 403, "FORBIDDEN", "Forbidden", "uploads are closed here" },
            { 404, "NOT FOUND", "Not Found", "no such model slot" },
            { 413, "REQUEST ENTITY TOO LARGE", "Payload Too Large", "the model is too large" },
            { 500, "INTERNAL SERVER ERROR", "Internal Server Error",
                "the storage backend failed" } };
        for (const auto &a : answers)
            QTest::newRow(qPrintable(QString::number(a.status) + via))
                << QStringLiteral("/early/%1%2")
                       .arg(a.status)
                       .arg(QLatin1String(viaProxy ? "?hold=1" : ""))
                << a.status << QString::fromLatin1(viaProxy ? a.squidReason : a.reason)
                << QStringLiteral(R"({"error":"%1","read":0})").arg(QLatin1String(a.body))
                << viaProxy;
        if (!viaProxy) // Flask's own 404 cannot hold
            QTest::newRow("no such route")
                << QStringLiteral("/no/such/route") << 404 << QStringLiteral("NOT FOUND")
                << QStringLiteral("<h1>Not Found</h1>") << false;
    }
}

void TestHttpServers::cliShowsEarlyAnswers()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(QString, body);
    QFETCH(bool, viaProxy);
    const QString url = m_flask.url(
        path, viaProxy ? QLatin1String(httptest::SquidProxy::kHost) : QStringLiteral("127.0.0.1"));
    path = path.section(QLatin1Char('?'), 0, 0); // as the server logs it
    const QString expected
        = QStringLiteral("tfjs-model: Saving to %1 failed due to HTTP response "
                         "status %2 (%3). [url: %1, status: %2]\nResponse body: ")
              .arg(url)
              .arg(status)
              .arg(reason);
    const qsizetype before = m_flask.requests().size();
    int shown = 0;
    QString lost;
    for (int i = 0; i < 20; ++i) {
        const CliRun run = runCli(
            { QStringLiteral("copy"), m_largeJson, url }, viaProxy ? m_squid.url() : QString());
        if (run.exitCode == 1 && run.out.isEmpty() && run.err.startsWith(expected)
            && run.err.contains(body))
            ++shown;
        else if (lost.isEmpty())
            lost = QStringLiteral("exit %1: %2%3").arg(run.exitCode).arg(run.err, run.out);
    }
    QVERIFY2(shown == 20, qPrintable(QStringLiteral("%1 of 20 shown; %2").arg(shown).arg(lost)));
    const QList<QJsonObject> requests = m_flask.requests().mid(before);
    QCOMPARE(requests.size(), 20);
    for (const QJsonObject &request : requests) {
        QCOMPARE(request.value(QStringLiteral("path")).toString(), path);
        QCOMPARE(request.value(QStringLiteral("via")).toString().contains(QStringLiteral("squid")),
            viaProxy);
    }
}

// Flask's redirects, answered before reading the body: 307 and 308 send it again to where they
// point, and the model arrives; 301, 302 and 303 would fetch a page without it (as fetch()
// does), so the CLI reports them as failures naming the status and the Location, and nothing
// more is requested.
void TestHttpServers::cliRedirectedUpload_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<bool>("viaProxy");
    for (bool viaProxy : { false, true }) {
        const QString via = viaProxy ? QStringLiteral(" via squid") : QString();
        // Werkzeug writes reason phrases in capitals; squid sends its own.
        QTest::newRow(qPrintable(QStringLiteral("301") + via))
            << 301
            << (viaProxy ? QStringLiteral("Moved Permanently")
                         : QStringLiteral("MOVED PERMANENTLY"))
            << viaProxy;
        QTest::newRow(qPrintable(QStringLiteral("302") + via))
            << 302 << (viaProxy ? QStringLiteral("Found") : QStringLiteral("FOUND")) << viaProxy;
        QTest::newRow(qPrintable(QStringLiteral("303") + via))
            << 303 << (viaProxy ? QStringLiteral("See Other") : QStringLiteral("SEE OTHER"))
            << viaProxy;
        QTest::newRow(qPrintable(QStringLiteral("307") + via)) << 307 << QString() << viaProxy;
        QTest::newRow(qPrintable(QStringLiteral("308") + via)) << 308 << QString() << viaProxy;
    }
}

void TestHttpServers::cliRedirectedUpload()
{
    QFETCH(int, status);
    QFETCH(QString, reason);
    QFETCH(bool, viaProxy);
    const QString host
        = viaProxy ? QLatin1String(httptest::SquidProxy::kHost) : QStringLiteral("127.0.0.1");
    // 301-303 point at a page that answers GET with 200: following them would "succeed".
    const QString target
        = reason.isEmpty() ? QStringLiteral("/upload") : QStringLiteral("/uploads");
    // Behind squid Flask holds the connection after its answer (see cliShowsEarlyAnswers).
    const QString url = m_flask.url(QStringLiteral("/moved/%1?to=%2%3")
                                        .arg(status)
                                        .arg(target, QLatin1String(viaProxy ? "&hold=1" : "")),
        host);
    const qsizetype before = m_flask.requests().size();
    const CliRun run = runCli(
        { QStringLiteral("copy"), m_largeJson, url }, viaProxy ? m_squid.url() : QString());
    const QList<QJsonObject> requests = m_flask.requests().mid(before);
    QStringList seen;
    for (const QJsonObject &request : requests)
        seen << request.value(QStringLiteral("method")).toString() + QLatin1Char(' ')
                + request.value(QStringLiteral("path")).toString();
    if (reason.isEmpty()) {
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.startsWith(QStringLiteral("wrote ") + url + QLatin1Char('\n')));
        QVERIFY2(run.out.contains(QStringLiteral("\nHTTP 200\n")), qPrintable(run.out));
        QCOMPARE(seen,
            (QStringList {
                QStringLiteral("POST /moved/%1").arg(status), QStringLiteral("POST /upload") }));
        const QString id
            = QJsonDocument::fromJson(run.out.section(QStringLiteral("HTTP 200\n"), 1).toUtf8())
                  .object()
                  .value(QStringLiteral("id"))
                  .toString();
        QCOMPARE(m_flask.upload(id)
                     .value(QStringLiteral("parts"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("bytes"))
                     .toInteger(),
            qint64(8 << 20));
        return;
    }
    QCOMPARE(run.exitCode, 1);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith(
                 QStringLiteral("tfjs-model: Saving to %1 failed due to HTTP response status "
                                "%2 (%3), a redirect to %4: the model was not delivered (an "
                                "upload follows only 307 and 308 redirects, which keep its body). "
                                "[url: %1, status: %2]\n")
                     .arg(url)
                     .arg(status)
                     .arg(reason, m_flask.url(target, host))),
        qPrintable(run.err));
    QCOMPARE(seen, QStringList { QStringLiteral("POST /moved/%1").arg(status) });
}

void TestHttpServers::refusesTheMainThread()
{
    HttpHandler http(m_staticBase + QStringLiteral("/multi/model.json"), {});
    JobContext ctx;
    auto loaded = http.load(ctx); // on the test's main thread: no nested event loop there
    QVERIFY(!loaded);
    QCOMPARE(loaded.error().code, ErrorCode::Unsupported);
    QCOMPARE(loaded.error().message,
             QStringLiteral("HTTP transfers run on a worker thread (as a Job), not on the "
                            "application's main thread."));
    auto saved = http.save(ModelArtifacts{}, ctx);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Unsupported);
}

QTEST_GUILESS_MAIN(TestHttpServers)
#include "tst_httpservers.moc"
