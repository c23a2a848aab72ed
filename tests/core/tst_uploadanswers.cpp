// Uploads answered before the body is sent: an answer right after the request head from a
// server that drains the rest, and one from a server that closes with the body unread (as
// Flask does), directly and through squid.
#include "../http/testservers.h"
#include "uploadtestdata.h"

#include <QTcpServer>
#include <QTemporaryDir>

using namespace tfjs;
using namespace uploadtest;
using httptest::SquidProxy;

class TestUploadAnswers : public QObject
{
    Q_OBJECT

private slots:
    void answerBeforeTheBodyIsSent_data();
    void answerBeforeTheBodyIsSent();
    void earlyAnswerAndClose_data();
    void earlyAnswerAndClose();
};

// A server that answers right after the request head, before the 8 MiB body: a 413 is the
// result and the upload stops; a 200 still gets the whole body first (RFC 9112 9.5), then
// counts. (The server drains what comes, as servers do before closing: closing with unread
// bytes sends a reset that may destroy its own answer.)
void TestUploadAnswers::answerBeforeTheBodyIsSent_data()
{
    QTest::addColumn<int>("status");
    QTest::newRow("413") << 413;
    QTest::newRow("200") << 200;
}

void TestUploadAnswers::answerBeforeTheBodyIsSent()
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
                + QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
        });
    });
    QTemporaryDir dir;
    const QString url = QStringLiteral("http://127.0.0.1:%1/upload").arg(raw.serverPort());
    const ModelArtifacts artifacts = largeModel(dir.path(), 8 << 20);
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
    QTRY_COMPARE(*drained, bodySizeOf(artifacts));
}

// A server that answers before reading the body (a token or size check) and closes, as Flask
// does: the kernel resets the connection while the client still sends 8 MiB. The answer is
// the result, 20 times out of 20, with its body, directly and through squid; the body is
// sent once per upload, and the progress counts at least what the server read. Behind squid
// the server keeps the connection after its answer, reading nothing more: squid 5.7 itself
// answers 502 for a server that resets the connection under its upload (4 of 480 here).
void TestUploadAnswers::earlyAnswerAndClose_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<qint64>("read"); // body bytes the server reads before answering
    QTest::addColumn<bool>("viaProxy");
    for (bool viaProxy : { false, true }) {
        const QString via = viaProxy ? QStringLiteral(" via squid") : QString();
        for (int status : { 401, 403, 404, 413, 500 })
            QTest::newRow(qPrintable(QString::number(status) + via))
                << status << qint64(0) << viaProxy;
        QTest::newRow(qPrintable(QStringLiteral("413 after 1 MiB") + via))
            << 413 << qint64(1 << 20) << viaProxy;
    }
}

void TestUploadAnswers::earlyAnswerAndClose()
{
    QFETCH(int, status);
    QFETCH(qint64, read);
    QFETCH(bool, viaProxy);
    const QByteArray body = R"({"error":"refused before the body"})";
    httptest::EarlyAnswerServer server(status, body, read, viaProxy);
    SquidProxy squid;
    std::optional<httptest::ApplicationProxy> useSquid;
    if (viaProxy) {
        const QString started = squid.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        useSquid.emplace(squid.proxy());
    }
    const QString url = server.url(QStringLiteral("/upload"),
        viaProxy ? QLatin1String(SquidProxy::kHost) : QStringLiteral("127.0.0.1"));
    QTemporaryDir dir;
    const ModelArtifacts artifacts = largeModel(dir.path(), 8 << 20);
    const qint64 total = bodySizeOf(artifacts);
    const QString message
        = QStringLiteral("Saving to %1 failed due to HTTP response status %2 (%3).")
              .arg(url)
              .arg(status)
              .arg(QLatin1String(FaultServer::reason(status)));
    int answered = 0;
    QString lost;
    for (int i = 0; i < 20; ++i) {
        QList<Progress> progress;
        auto saved = upload(url, artifacts, {}, -1, &progress);
        const qint64 sent = progress.isEmpty() ? -1 : progress.last().bytesDone;
        if (!saved && saved.error().message == message && saved.error().status == status
            && saved.error().detail == QStringLiteral("Response body: ") + QLatin1String(body)
            && sent >= read && sent <= total)
            ++answered;
        else if (lost.isEmpty())
            lost = saved ? QStringLiteral("reported as a success")
                         : saved.error().toString() + QStringLiteral(" (progress %1)").arg(sent);
    }
    QVERIFY2(answered == 20,
        qPrintable(QStringLiteral("%1 of 20 answered; %2").arg(answered).arg(lost)));
    QCOMPARE(server.heads.size(), 20); // never sent twice
    for (const QByteArray &head : std::as_const(server.heads))
        QCOMPARE(head.contains("\r\nVia: 1.1 tfjs-test-proxy"), viaProxy);
}

QTEST_GUILESS_MAIN(TestUploadAnswers)
#include "tst_uploadanswers.moc"
