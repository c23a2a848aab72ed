// URL and header helpers of the http(s):// handlers: TF.js's parseUrl (http_test.ts
// "parseUrl"), shard URL building, routing (TF.js's httpRouter cases), secrets kept out of
// messages, header parsing for --header.
#include "schemes/schemes.h"
#include "http/httpurl.h"

#include <QTest>

using namespace tfjs;

class TestHttpUrl : public QObject
{
    Q_OBJECT

private slots:
    void splitModelUrl_data();
    void splitModelUrl();
    void shardUrl_data();
    void shardUrl();
    void routing_data();
    void routing();
    void displayUrl_data();
    void displayUrl();
    void secretHeaders_data();
    void secretHeaders();
    void parseHeaderLine_data();
    void parseHeaderLine();
    void scrubber();
    void bodyExcerpt();
};

void TestHttpUrl::splitModelUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<QString>("suffix");
    // TF.js's three cases.
    QTest::newRow("no query") << QStringLiteral("http://google.com/path/model.json")
                              << QStringLiteral("http://google.com/path/") << QString();
    QTest::newRow("one query") << QStringLiteral("http://google.com/path/model.json?param=true")
                               << QStringLiteral("http://google.com/path/")
                               << QStringLiteral("?param=true");
    // TF.js takes the query from the last '?' ("?param2=false"); a query is everything after
    // the first '?', so the whole of it is carried.
    QTest::newRow("several ?") << QStringLiteral("http://google.com/path/model.json?param=true?param2=false")
                               << QStringLiteral("http://google.com/path/")
                               << QStringLiteral("?param=true?param2=false");
    // TF.js would cut the prefix inside the query here ("...?sig=a/").
    QTest::newRow("slash inside the query")
        << QStringLiteral("https://cdn.example/m/model.json?sig=a/b+c&exp=1")
        << QStringLiteral("https://cdn.example/m/") << QStringLiteral("?sig=a/b+c&exp=1");
    QTest::newRow("fragment dropped") << QStringLiteral("http://h/m/model.json?x=1#frag")
                                      << QStringLiteral("http://h/m/") << QStringLiteral("?x=1");
    QTest::newRow("model at the root") << QStringLiteral("http://h:8080/model.json")
                                       << QStringLiteral("http://h:8080/") << QString();
}

void TestHttpUrl::splitModelUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, prefix);
    QFETCH(QString, suffix);
    const ModelUrlParts parts = tfjs::splitModelUrl(url);
    QCOMPARE(parts.prefix, prefix);
    QCOMPARE(parts.suffix, suffix);
}

void TestHttpUrl::shardUrl_data()
{
    QTest::addColumn<QString>("modelUrl");
    QTest::addColumn<QString>("weightPathPrefix");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("expected");
    QTest::newRow("relative") << QStringLiteral("http://h/a/model.json") << QString()
                              << QStringLiteral("group1-shard1of2.bin")
                              << QStringLiteral("http://h/a/group1-shard1of2.bin");
    QTest::newRow("./ (downloads and http saves)")
        << QStringLiteral("http://h/a/model.json") << QString() << QStringLiteral("./model.weights.bin")
        << QStringLiteral("http://h/a/model.weights.bin");
    QTest::newRow("../") << QStringLiteral("http://h/a/b/model.json") << QString()
                         << QStringLiteral("../w/x.bin") << QStringLiteral("http://h/a/w/x.bin");
    QTest::newRow("query appended") << QStringLiteral("http://h/a/model.json?tfjs-format=file")
                                    << QString() << QStringLiteral("w.bin")
                                    << QStringLiteral("http://h/a/w.bin?tfjs-format=file");
    QTest::newRow("prefix with slash") << QStringLiteral("http://h/a/model.json?v=1")
                                       << QStringLiteral("https://cdn/x/") << QStringLiteral("w.bin")
                                       << QStringLiteral("https://cdn/x/w.bin?v=1");
    QTest::newRow("prefix without slash: concatenated")
        << QStringLiteral("http://h/a/model.json") << QStringLiteral("https://cdn/x")
        << QStringLiteral("w.bin") << QStringLiteral("https://cdn/xw.bin");
    QTest::newRow("space in a path") << QStringLiteral("http://h/a/model.json") << QString()
                                     << QStringLiteral("my shard.bin")
                                     << QStringLiteral("http://h/a/my%20shard.bin");
}

void TestHttpUrl::shardUrl()
{
    QFETCH(QString, modelUrl);
    QFETCH(QString, weightPathPrefix);
    QFETCH(QString, path);
    QFETCH(QString, expected);
    const QUrl url = tfjs::shardUrl(tfjs::splitModelUrl(modelUrl), weightPathPrefix, path.toStdString());
    QCOMPARE(url.toString(QUrl::FullyEncoded), expected);
}

void TestHttpUrl::routing_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("message");
    QTest::newRow("http") << QStringLiteral("http://localhost:5000/upload") << true << QString();
    QTest::newRow("https") << QStringLiteral("https://example.org/m/model.json") << true << QString();
    QTest::newRow("upper-case scheme") << QStringLiteral("HTTPS://example.org/model.json") << true
                                       << QString();
    QTest::newRow("localhost:// (not http)")
        << QStringLiteral("localhost://foo") << false
        << QStringLiteral("Cannot find a handler for scheme 'localhost'");
    QTest::newRow("no host") << QStringLiteral("http:///model.json") << false
                             << QStringLiteral("'http:///model.json' is not a valid http(s) URL for a model.");
}

void TestHttpUrl::routing()
{
    QFETCH(QString, url);
    QFETCH(bool, ok);
    QFETCH(QString, message);
    const HandlerRegistry registry = makeDefaultRegistry();
    QVERIFY(registry.has(QStringLiteral("http")));
    QVERIFY(registry.has(QStringLiteral("https")));
    auto handler = registry.handlerFor(url);
    QCOMPARE(bool(handler), ok);
    if (!ok) {
        QVERIFY2(handler.error().message.startsWith(message), qPrintable(handler.error().message));
    } else {
        QVERIFY((*handler)->canLoad());
        QVERIFY((*handler)->canSave());
    }
}

void TestHttpUrl::displayUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << QStringLiteral("http://h/m/model.json") << QStringLiteral("http://h/m/model.json");
    QTest::newRow("user info removed") << QStringLiteral("https://bob:hunter2@h/m.json")
                                       << QStringLiteral("https://h/m.json");
    QTest::newRow("secret query values")
        << QStringLiteral("https://h/m.json?X-Amz-Signature=abc&X-Amz-Credential=AKIA&v=1&token=t&api_key=k")
        << QStringLiteral("https://h/m.json?X-Amz-Signature=***&X-Amz-Credential=***&v=1&token=***&api_key=***");
    QTest::newRow("harmless query kept") << QStringLiteral("http://h/m.json?tfjs-format=file")
                                         << QStringLiteral("http://h/m.json?tfjs-format=file");
}

void TestHttpUrl::displayUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QCOMPARE(tfjs::displayUrl(QUrl(url)), shown);
}

void TestHttpUrl::secretHeaders_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("secret");
    for (const char *name : {"Authorization", "authorization", "Proxy-Authorization", "Cookie",
                             "Set-Cookie", "X-Api-Key", "X-Auth-Token", "Private-Token",
                             "X-Client-Secret", "X-Session-Id", "X-Amz-Security-Token"})
        QTest::newRow(name) << QByteArray(name) << true;
    for (const char *name : {"Accept", "X-Request-Id", "User-Agent", "Cache-Control", "X-Custom"})
        QTest::newRow(name) << QByteArray(name) << false;
}

void TestHttpUrl::secretHeaders()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, secret);
    QCOMPARE(isSecretHeader(name), secret);
}

void TestHttpUrl::parseHeaderLine_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("curl style") << QStringLiteral("Authorization: Bearer abc") << QByteArray("Authorization")
                                << QByteArray("Bearer abc") << QString();
    QTest::newRow("no space") << QStringLiteral("X-A:b") << QByteArray("X-A") << QByteArray("b") << QString();
    QTest::newRow("colon in value") << QStringLiteral("X-Url: http://h:1/") << QByteArray("X-Url")
                                    << QByteArray("http://h:1/") << QString();
    QTest::newRow("empty value") << QStringLiteral("X-Empty:") << QByteArray("X-Empty") << QByteArray()
                                 << QString();
    QTest::newRow("utf-8 value") << QStringLiteral("X-Name: Zoë") << QByteArray("X-Name")
                                 << QByteArray("Zo\xc3\xab") << QString();
    QTest::newRow("no colon") << QStringLiteral("Authorization Bearer abc") << QByteArray() << QByteArray()
                              << QStringLiteral("A header must be given as 'Name: value' (24 "
                                                "characters without a name before ':' given).");
    QTest::newRow("empty name") << QStringLiteral(": v") << QByteArray() << QByteArray()
                                << QStringLiteral("A header must be given as 'Name: value' (3 "
                                                  "characters without a name before ':' given).");
    QTest::newRow("bad name") << QStringLiteral("X Bad: v") << QByteArray() << QByteArray()
                              << QStringLiteral("'X Bad' is not a valid HTTP header name.");
    QTest::newRow("line break in value (not quoted back)")
        << QStringLiteral("Authorization: secret\r\nX-Evil: 1") << QByteArray() << QByteArray()
        << QStringLiteral("The value of header 'Authorization' contains a line break or NUL.");
}

void TestHttpUrl::parseHeaderLine()
{
    QFETCH(QString, line);
    QFETCH(QByteArray, name);
    QFETCH(QByteArray, value);
    QFETCH(QString, error);
    auto header = tfjs::parseHeaderLine(line);
    if (error.isEmpty()) {
        QVERIFY(header);
        QCOMPARE(header->name, name);
        QCOMPARE(header->value, value);
    } else {
        QVERIFY(!header);
        QCOMPARE(header.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(header.error().message, error);
        QVERIFY(!header.error().message.contains(QStringLiteral("secret"))); // values never quoted
    }
}

void TestHttpUrl::scrubber()
{
    HttpOptions options;
    options.headers = {{"Authorization", "Bearer tok-1234567"}, {"X-Custom", "visible-value"},
                       {"X-Api-Key", "key-abcdef"}};
    const SecretScrubber scrubber(options, QUrl(QStringLiteral("https://u:p4ssw0rd@h/m.json?token=qs-secret%2F1")));
    QCOMPARE(scrubber.scrub(QStringLiteral("a Bearer tok-1234567 b tok-1234567 c key-abcdef d visible-value")),
             QStringLiteral("a *** b *** c *** d visible-value"));
    QCOMPARE(scrubber.scrub(QStringLiteral("p4ssw0rd qs-secret/1 qs-secret%2F1")),
             QStringLiteral("*** *** ***"));
}

void TestHttpUrl::bodyExcerpt()
{
    const SecretScrubber none;
    QCOMPARE(tfjs::bodyExcerpt({}, none), QString());
    QCOMPARE(tfjs::bodyExcerpt("  line1\r\n\tline2\x01 ", none), QStringLiteral("line1 line2"));
    QCOMPARE(tfjs::bodyExcerpt(QByteArray(400, 'x'), none, 10), QStringLiteral("xxxxxxxxxx…"));
    QCOMPARE(tfjs::bodyExcerpt("caf\xc3\xa9", none), QStringLiteral("café"));
}

QTEST_GUILESS_MAIN(TestHttpUrl)
#include "tst_httpurl.moc"
