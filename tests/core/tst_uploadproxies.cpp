// Uploads through HTTP proxies: Debian's squid as the application proxy (plain http as a
// forward request, https through a CONNECT tunnel, a CONNECT it refuses), a proxy that is not
// there or cannot carry http, and what a proxy with credentials receives.
#include "../http/testservers.h"
#include "uploadtestdata.h"

#include <QTcpServer>
#include <QTemporaryDir>

using namespace tfjs;
using namespace uploadtest;
using httptest::SquidProxy;

class TestUploadProxies : public QObject
{
    Q_OBJECT

private slots:
    void forwardsThroughAnHttpProxy();
    void tunnelsHttpsThroughAnHttpProxy();
    void proxyErrors_data();
    void proxyErrors();
    void proxyRefusesTunnel();
    void forwardRequestCarriesProxyCredentials();
};

// Through a configured HTTP proxy a plain-http upload is a forward request (absolute URI),
// not a CONNECT tunnel, which proxies refuse to other ports than 443.
void TestUploadProxies::forwardsThroughAnHttpProxy()
{
    SquidProxy squid;
    const QString started = squid.start();
    QVERIFY2(started.isEmpty(), qPrintable(started));
    httptest::ApplicationProxy useSquid(squid.proxy());
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 201, R"({"id":"m1"})");
    const QString url = QStringLiteral("http://%1:%2/upload?v=1")
                            .arg(QLatin1String(SquidProxy::kHost))
                            .arg(server.port());
    QTemporaryDir dir;
    const QByteArray weights = patterned(12 << 20);
    const ModelArtifacts artifacts = largeModel(dir.path(), weights.size(), weights);
    HttpOptions http;
    http.headers = { { "X-Run", "7" } };
    QList<Progress> progress;
    auto saved = upload(url, artifacts, http, -1, &progress);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->httpStatus, 201);
    QCOMPARE(saved->responseBody, QByteArray(R"({"id":"m1"})"));
    QCOMPARE(server.requests.size(), 1);
    const httptest::LoggedRequest &request = server.requests[0];
    QCOMPARE(request.target(), QStringLiteral("/upload?v=1"));
    QVERIFY2(request.header("Via").contains("tfjs-test-proxy (squid"),
        request.header("Via").constData());
    QCOMPARE(request.header("X-Run"), QByteArray("7"));
    const auto parts = parseMultipart(request.body, boundaryOf(request.header("Content-Type")));
    QCOMPARE(parts.size(), 2);
    QVERIFY(parts[1].content == weights);
    QCOMPARE(progress.last().bytesDone, qint64(request.body.size()));
}

// https through the proxy: a CONNECT tunnel (the request arrives as sent, without Via).
void TestUploadProxies::tunnelsHttpsThroughAnHttpProxy()
{
    const httptest::TestCertificate &tls = httptest::testCertificate();
    QVERIFY2(!tls.isNull(), "no openssl to make a test certificate: the test command installs it");
    FaultServer server(tls.certificate, tls.key);
    answer(server, QStringLiteral("/upload"), 200, R"({"ok":true})");
    SquidProxy squid;
    const QString started = squid.start({ server.port() });
    QVERIFY2(started.isEmpty(), qPrintable(started));
    httptest::ApplicationProxy useSquid(squid.proxy());
    HttpOptions http;
    http.insecureHosts = { QLatin1String(SquidProxy::kHost) };
    auto saved = upload(QStringLiteral("https://%1:%2/upload")
                            .arg(QLatin1String(SquidProxy::kHost))
                            .arg(server.port()),
        modelArtifacts(), http);
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString() + squid.log()));
    QCOMPARE(saved->responseBody, QByteArray(R"({"ok":true})"));
    QCOMPARE(server.requests.size(), 1);
    QVERIFY(!server.requests[0].hasHeader("Via"));
    QCOMPARE(parseMultipart(
                 server.requests[0].body, boundaryOf(server.requests[0].header("Content-Type")))
                 .value(1)
                 .content,
        kWeights);
}

// A proxy that is not there and one that cannot carry http: the error names the proxy or
// says none fits; nothing reaches the server.
void TestUploadProxies::proxyErrors_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("reason"); // %1: the proxy's port
    QTest::newRow("not listening")
        << int(QNetworkProxy::HttpProxy)
        << QStringLiteral("the proxy 127.0.0.1:%1 refused the connection");
    QTest::newRow("ftp only") << int(QNetworkProxy::FtpCachingProxy)
                              << QStringLiteral("no configured proxy can carry http");
}

void TestUploadProxies::proxyErrors()
{
    QFETCH(int, type);
    QFETCH(QString, reason);
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 nobody = closed.serverPort();
    closed.close();
    FaultServer server;
    answer(server, QStringLiteral("/upload"), 200, "{}");
    const QString url = QStringLiteral("http://%1:%2/upload")
                            .arg(QLatin1String(SquidProxy::kHost))
                            .arg(server.port());
    httptest::ApplicationProxy useIt(
        QNetworkProxy(QNetworkProxy::ProxyType(type), QStringLiteral("127.0.0.1"), nobody));
    auto saved = upload(url, modelArtifacts());
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Network);
    QCOMPARE(saved.error().message,
        QStringLiteral("Request for the model upload at %1 failed: %2.")
            .arg(url, reason.arg(nobody)));
    QCOMPARE(saved.error().url, url);
    QVERIFY(server.requests.isEmpty());
}

// Squid refuses a CONNECT to a port other than 443, as Debian's configures it.
void TestUploadProxies::proxyRefusesTunnel()
{
    const httptest::TestCertificate &tls = httptest::testCertificate();
    QVERIFY2(!tls.isNull(), "no openssl to make a test certificate: the test command installs it");
    FaultServer secure(tls.certificate, tls.key);
    SquidProxy squid;
    const QString started = squid.start(); // CONNECT to 443 only
    QVERIFY2(started.isEmpty(), qPrintable(started));
    httptest::ApplicationProxy useSquid(squid.proxy());
    HttpOptions http;
    http.insecureHosts = { QLatin1String(SquidProxy::kHost) };
    const QString secureUrl = QStringLiteral("https://%1:%2/upload")
                                  .arg(QLatin1String(SquidProxy::kHost))
                                  .arg(secure.port());
    auto saved = upload(secureUrl, modelArtifacts(), http);
    QVERIFY(!saved);
    QCOMPARE(saved.error().code, ErrorCode::Network);
    QCOMPARE(saved.error().message,
        QStringLiteral("Request for the model upload at %1 failed: the connection through the "
                       "proxy 127.0.0.1:%2 to upload.test:%3 failed: Proxy denied connection.")
            .arg(secureUrl)
            .arg(squid.port())
            .arg(secure.port()));
    QVERIFY(secure.requests.isEmpty());
}

// What goes to an HTTP proxy with credentials (a raw server in its place, which answers once
// the body is in): the absolute URI, Host, and Proxy-Authorization from the proxy's user; a
// 407 answer is the result, and the password is in no message.
void TestUploadProxies::forwardRequestCarriesProxyCredentials()
{
    QTcpServer proxy;
    QVERIFY(proxy.listen(QHostAddress::LocalHost));
    QList<QByteArray> heads;
    int status = 201;
    QObject::connect(&proxy, &QTcpServer::newConnection, &proxy, [&] {
        QTcpSocket *socket = proxy.nextPendingConnection();
        auto in = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [&, socket, in] {
            in->append(socket->readAll());
            const qsizetype end = in->indexOf("\r\n\r\n");
            const qsizetype at = in->indexOf("Content-Length: ");
            if (end < 0 || at < 0
                || in->size() - end - 4 < in->mid(at + 16, 12).split('\r').front().toLongLong())
                return;
            heads << in->left(end);
            in->clear();
            const QByteArray body = status == 201 ? "stored" : "who are you?";
            socket->write("HTTP/1.1 " + QByteArray::number(status)
                + (status == 201 ? " Created" : " Proxy Authentication Required")
                + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        });
    });
    httptest::ApplicationProxy useIt(
        QNetworkProxy(QNetworkProxy::HttpProxy, QStringLiteral("127.0.0.1"), proxy.serverPort(),
            QStringLiteral("user"), QStringLiteral("pass-secret")));
    const QString url = QStringLiteral("http://upload.test:81/upload?x=1");
    auto saved = upload(url, modelArtifacts());
    QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().toString()));
    QCOMPARE(saved->responseBody, QByteArray("stored"));
    QCOMPARE(heads.size(), 1);
    QVERIFY2(heads[0].startsWith(
                 "POST http://upload.test:81/upload?x=1 HTTP/1.1\r\nHost: upload.test:81\r\n"),
        heads[0].constData());
    QVERIFY2(heads[0].contains("\r\nProxy-Authorization: Basic dXNlcjpwYXNzLXNlY3JldA==\r\n"),
        heads[0].constData());

    status = 407;
    saved = upload(url, modelArtifacts());
    QVERIFY(!saved);
    QCOMPARE(saved.error().status, 407);
    QCOMPARE(saved.error().message,
        QStringLiteral(
            "Saving to %1 failed due to HTTP response status 407 (Proxy Authentication Required).")
            .arg(url));
    QCOMPARE(saved.error().detail, QStringLiteral("Response body: who are you?"));
    QVERIFY(!saved.error().toString().contains(QStringLiteral("pass-secret")));
}

QTEST_GUILESS_MAIN(TestUploadProxies)
#include "tst_uploadproxies.moc"
