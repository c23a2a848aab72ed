// ResponseParser: HTTP/1.x answers as servers frame them, fed whole and one byte at a time,
// and every way an answer is refused.
#include "http/responseparser.h"

#include <QTest>

using namespace tfjs;

namespace {

// Feeds `raw` in pieces of `step` bytes (0: at once); then the close when `close`.
ResponseParser parse(const QByteArray &raw, qsizetype step, bool close, QByteArray *body)
{
    ResponseParser parser;
    for (qsizetype at = 0; at < raw.size(); at += step ? step : raw.size()) {
        if (!parser.feed(raw.mid(at, step ? step : raw.size())))
            break;
        body->append(parser.takeBody());
    }
    if (close)
        parser.connectionClosed();
    body->append(parser.takeBody());
    return parser;
}

} // namespace

class TestResponseParser : public QObject
{
    Q_OBJECT

private slots:
    void framings_data();
    void framings();
    void fieldsJoinedAndFound();
    void cutShort();
    void refused_data();
    void refused();
};

void TestResponseParser::framings_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<bool>("close"); // the connection ends after `raw`
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("reason");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("contentLength");
    const struct
    {
        const char *name;
        QByteArray raw;
        bool close;
        int status;
        QByteArray reason;
        QByteArray body;
        qint64 contentLength;
    } rows[] = {
        { "Content-Length", "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 9\r\n\r\ntoo large",
            false, 413, "Payload Too Large", "too large", 9 },
        { "chunked, extension, trailer",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: "
            "chunked\r\n\r\n3;ext=1\r\n{\"a\r\n5\r\n\":42}\r\n0\r\nX-T: t\r\n\r\n",
            false, 200, "OK", R"({"a":42})", -1 },
        { "chunked wins over Content-Length",
            "HTTP/1.1 200 OK\r\nContent-Length: 99\r\nTransfer-Encoding: "
            "chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
            false, 200, "OK", "ok", -1 },
        { "until close", "HTTP/1.0 201 Created\r\n\r\nstored as m7", true, 201, "Created",
            "stored as m7", -1 },
        { "100 Continue first",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\nno",
            false, 401, "Unauthorized", "no", 2 },
        { "204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, 204,
            "No Content", "", 0 },
        { "LF line ends", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", false, 200, "OK", "ok", 2 },
        { "Content-Length twice",
            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok", false, 200, "OK",
            "ok", 2 },
        { "bytes after the answer",
            "HTTP/1.1 404 Not Found\r\nContent-Length: 1\r\n\r\nxHTTP/1.1 200 OK\r\n\r\n", false,
            404, "Not Found", "x", 1 },
    };
    for (const auto &row : rows)
        QTest::newRow(row.name) << row.raw << row.close << row.status << row.reason << row.body
                                << row.contentLength;
}

void TestResponseParser::framings()
{
    QFETCH(QByteArray, raw);
    QFETCH(bool, close);
    QFETCH(int, status);
    QFETCH(QByteArray, reason);
    QFETCH(QByteArray, body);
    QFETCH(qint64, contentLength);
    for (qsizetype step : { qsizetype(0), qsizetype(1), qsizetype(7) }) {
        QByteArray got;
        const ResponseParser parser = parse(raw, step, close, &got);
        QVERIFY2(parser.error().isEmpty(), qPrintable(parser.error()));
        QVERIFY(parser.hasHead());
        QVERIFY(parser.isComplete());
        QCOMPARE(parser.status(), status);
        QCOMPARE(parser.reason(), reason);
        QCOMPARE(got, body);
        QCOMPARE(parser.bodyReceived(), qint64(body.size()));
        QCOMPARE(parser.contentLength(), contentLength);
    }
}

void TestResponseParser::fieldsJoinedAndFound()
{
    ResponseParser parser;
    QVERIFY(parser.feed("HTTP/1.1 303 See Other\r\nLocation: /models/7\r\nX-A: 1\r\nx-a: 2\r\n"
                        "Content-Length: 0\r\n\r\n"));
    QVERIFY(parser.isComplete());
    QCOMPARE(parser.field("location"), QByteArray("/models/7"));
    QCOMPARE(parser.field("X-A"), QByteArray("1, 2"));
    QCOMPARE(parser.field("Retry-After"), QByteArray());
    QCOMPARE(parser.fields().size(), 3);
}

// The connection ends before the framing says the answer is complete.
void TestResponseParser::cutShort()
{
    for (const QByteArray &raw : { QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345"),
             QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n12"),
             QByteArray("HTTP/1.1 200 OK\r\nContent-") }) {
        ResponseParser parser;
        QVERIFY(parser.feed(raw));
        QVERIFY(!parser.connectionClosed());
        QVERIFY(!parser.isComplete());
        QVERIFY(parser.error().isEmpty());
    }
}

void TestResponseParser::refused_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("error");
    QTest::newRow("not HTTP") << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n")
                              << QStringLiteral(
                                     "The server's answer is not HTTP/1.x: 'SSH-2.0-OpenSSH_9.2'");
    QTest::newRow("HTTP/2 preface")
        << QByteArray("HTTP/2 200\r\n\r\n")
        << QStringLiteral("The server's answer is not HTTP/1.x: 'HTTP/2 200'");
    QTest::newRow("no status") << QByteArray("HTTP/1.1 OK\r\n\r\n")
                               << QStringLiteral(
                                      "The server's answer is not HTTP/1.x: 'HTTP/1.1 OK'");
    QTest::newRow("two lengths") << QByteArray(
        "HTTP/1.1 200 OK\r\nContent-Length: 10\r\nContent-Length: 12\r\n\r\n")
                                 << QStringLiteral("The response has an invalid Content-Length.");
    QTest::newRow("negative length")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
        << QStringLiteral("The response has an invalid Content-Length.");
    QTest::newRow("chunk size") << QByteArray(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
                                << QStringLiteral("A chunk size of the response is invalid.");
    QTest::newRow("chunk too long")
        << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")
        << QStringLiteral("A response chunk is longer than its size.");
    QTest::newRow("chunk line") << QByteArray(
                                       "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            + QByteArray(5000, '1')
                                << QStringLiteral("A chunk line of the response is too long.");
    QTest::newRow("head over 1 MiB")
        << QByteArray("HTTP/1.1 200 OK\r\nX: ") + QByteArray(1 << 20, 'x')
        << QStringLiteral("The response head is over 1 MiB.");
    QTest::newRow("head over 1 MiB, whole in one read")
        << QByteArray("HTTP/1.1 200 OK\r\nX: ") + QByteArray(1 << 20, 'x')
               + QByteArray("\r\nContent-Length: 2\r\n\r\nok")
        << QStringLiteral("The response head is over 1 MiB.");
}

void TestResponseParser::refused()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, error);
    ResponseParser parser;
    QVERIFY(!parser.feed(raw));
    QCOMPARE(parser.error(), error);
    QVERIFY(!parser.isComplete());
    QVERIFY(!parser.feed("HTTP/1.1 200 OK\r\n\r\n")); // stays refused
    QCOMPARE(parser.error(), error);
}

QTEST_GUILESS_MAIN(TestResponseParser)
#include "tst_responseparser.moc"
